package io.facestream.track;

import static io.facestream.track.Faces.face;
import static io.facestream.track.Faces.frame;
import static io.facestream.track.Faces.ids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Association and identity of tracks on synthetic sequences. */
class FaceTrackerTest {

    @Test
    void twoFacesCrossingPathsKeepTheirIds() {
        FaceTracker tracker = new FaceTracker(TrackerSettings.defaults());
        int hiddenFrames = 0;
        for (int t = 0; t < 40; t++) {
            // A walks right, B walks left on nearly the same line; while they overlap, B is
            // behind A and not detected. B comes out 70+ px from where it was last seen, which
            // only the motion model bridges (IoU with its last box would be below 0.1).
            double ax = 100 + 10 * t;
            double bx = 500 - 10 * t;
            boolean bHidden = Math.abs(ax - bx) < 70;
            List<Detection> dets =
                    bHidden
                            ? frame(face(ax, 200, 80))
                            : frame(face(ax, 200, 80), face(bx, 210, 80));
            hiddenFrames += bHidden ? 1 : 0;
            TrackerStep step = tracker.update(t, dets);
            assertThat(ids(step))
                    .as("frame %d", t)
                    .isEqualTo(bHidden ? List.of(1L) : List.of(1L, 2L));
            assertThat(step.ended()).isEmpty();
        }
        assertThat(hiddenFrames).isGreaterThanOrEqualTo(6);
        assertThat(tracker.liveTracks()).isEqualTo(2);
    }

    @Test
    void schedulesEmbeddingsPerTrack() {
        FaceTracker tracker = new FaceTracker(TrackerSettings.defaults());
        List<Long> embedded = new ArrayList<>();
        for (int t = 0; t < 40; t++) {
            Detection good = face(100, 100, 80);
            Detection gated = new Detection(300, 60, 380, 140, 0.9f, 0.95f, false);
            TrackerStep step = tracker.update(t, frame(good, gated));
            if (step.assignments().get(0).embed()) {
                embedded.add((long) t);
            }
            // A face failing the quality gate is never sent to the embedder.
            assertThat(step.assignments().get(1).embed()).isFalse();
        }
        assertThat(embedded).containsExactly(0L, 1L, 3L, 7L, 15L, 31L);

        FaceTracker everyFrame =
                new FaceTracker(
                        new TrackerSettings(
                                0.3f, 3, 30, 0.6f, new ScheduleSettings(true, 16, 1.25f)));
        for (int t = 0; t < 5; t++) {
            Detection gated = new Detection(300, 60, 380, 140, 0.9f, 0.2f, false);
            assertThat(everyFrame.update(t, frame(face(100, 100, 80), gated)).assignments())
                    .allMatch(TrackAssignment::embed);
        }
    }

    @Test
    void aFaceOccludedForAFewFramesKeepsItsId() {
        FaceTracker tracker = new FaceTracker(TrackerSettings.defaults());
        for (int t = 0; t < 10; t++) {
            assertThat(ids(tracker.update(t, frame(face(100 + 8 * t, 200, 80)))))
                    .containsExactly(1L);
        }
        // Ten frames behind an obstacle: 80 px of motion, a whole face width.
        for (int t = 10; t < 20; t++) {
            TrackerStep step = tracker.update(t, List.of());
            assertThat(step.ended()).isEmpty();
            assertThat(tracker.liveTracks()).isEqualTo(1);
        }
        TrackerStep back = tracker.update(20, frame(face(100 + 8 * 20, 200, 80)));
        assertThat(back.assignments())
                .containsExactly(new TrackAssignment(1, TrackState.CONFIRMED, false, true));
    }

    @Test
    void aDroppedFrameKeepsIds() {
        FaceTracker tracker = new FaceTracker(TrackerSettings.defaults());
        for (int t = 0; t < 5; t++) {
            tracker.update(t, frame(face(100 + 12 * t, 100, 80), face(400, 300 + 12 * t, 90)));
        }
        // Frames 5 and 6 never arrive; the motion model steps over them.
        TrackerStep step =
                tracker.update(7, frame(face(100 + 12 * 7, 100, 80), face(400, 300 + 12 * 7, 90)));
        assertThat(ids(step)).containsExactly(1L, 2L);
        assertThat(step.assignments()).allMatch(a -> a.state() == TrackState.CONFIRMED);
    }

    @Test
    void aSampledStreamStillConfirmsTracks() {
        FaceTracker tracker = new FaceTracker(TrackerSettings.defaults());
        TrackerStep step = null;
        for (int t = 0; t < 5; t++) {
            step = tracker.update(5L * t, frame(face(100 + 5 * t, 100, 80)));
        }
        assertThat(step.assignments())
                .extracting(TrackAssignment::trackId, TrackAssignment::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, TrackState.CONFIRMED));
    }

    @Test
    void lowScoreDetectionsContinueTracksButNeverStealThemFromHighScoreOnes() {
        FaceTracker tracker = new FaceTracker(TrackerSettings.defaults());
        for (int t = 0; t < 5; t++) {
            tracker.update(t, frame(face(200, 200, 80)));
        }
        // A blurred frame: the face scores low but still continues its track (second pass).
        TrackerStep blurred = tracker.update(5, frame(face(201, 200, 80, 0.3f)));
        assertThat(blurred.assignments().get(0).trackId()).isEqualTo(1L);
        // A low-score box overlapping a high-score one: the high one takes the track, the low one
        // starts a tentative track of its own, which ends at its first miss, never confirmed.
        TrackerStep both = tracker.update(6, frame(face(210, 200, 80, 0.3f), face(200, 200, 80)));
        assertThat(both.assignments())
                .containsExactly(
                        new TrackAssignment(2, TrackState.TENTATIVE, true, true),
                        new TrackAssignment(1, TrackState.CONFIRMED, false, false));
        TrackerStep next = tracker.update(7, frame(face(200, 200, 80)));
        assertThat(next.ended()).containsExactly(new EndedTrack(2, 6, 6, 1, false));
    }

    @Test
    void tracksFiftyFacesInOneFrame() {
        FaceTracker tracker = new FaceTracker(TrackerSettings.defaults());
        List<Long> first = null;
        TrackerStep step = null;
        for (int t = 0; t < 5; t++) {
            List<Detection> dets = new ArrayList<>();
            for (int k = 0; k < 50; k++) {
                dets.add(face(60 + 100 * (k % 10) + 3 * t, 60 + 100 * (k / 10) - 2 * t, 70));
            }
            step = tracker.update(t, dets);
            if (t == 0) {
                first = ids(step);
            }
            assertThat(ids(step)).isEqualTo(first);
        }
        assertThat(first).doesNotHaveDuplicates().hasSize(50).contains(1L, 50L);
        assertThat(step.assignments()).allMatch(a -> a.state() == TrackState.CONFIRMED);
        assertThat(tracker.liveTracks()).isEqualTo(50);
    }

    @Test
    void keepsIdsInACrowdOfFiftyOverlappingFaces() {
        // 80 px faces 20 px apart: every face overlaps its neighbours (IoU 0.6 side by side), so
        // the whole crowd is one association problem of 50 detections x 50 tracks.
        FaceTracker tracker = new FaceTracker(TrackerSettings.defaults());
        List<Long> first = null;
        for (int t = 0; t < 6; t++) {
            List<Detection> dets = new ArrayList<>();
            for (int k = 0; k < 50; k++) {
                dets.add(face(200 + 20 * (k % 10) + 4 * t, 200 + 20 * (k / 10) + 2 * t, 80));
            }
            TrackerStep step = tracker.update(t, dets);
            if (t == 0) {
                first = ids(step);
            }
            assertThat(ids(step)).as("frame %d", t).isEqualTo(first);
        }
        assertThat(first).doesNotHaveDuplicates().hasSize(50);
    }

    @Test
    void refusesFramesOutOfOrder() {
        FaceTracker tracker = new FaceTracker(TrackerSettings.defaults());
        tracker.update(5, List.of());
        assertThatThrownBy(() -> tracker.update(5, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("5");
        assertThatThrownBy(() -> tracker.update(4, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(tracker.lastSequence()).isEqualTo(5);
    }

    @Test
    void endAllEndsEveryLiveTrackAndIdsAreNeverReused() {
        FaceTracker tracker = new FaceTracker(TrackerSettings.defaults());
        for (int t = 0; t < 3; t++) {
            tracker.update(t, frame(face(100, 100, 80), face(400, 100, 80)));
        }
        tracker.update(3, frame(face(100, 100, 80), face(400, 100, 80), face(700, 100, 80)));
        assertThat(tracker.endAll())
                .containsExactly(
                        new EndedTrack(1, 0, 3, 4, true),
                        new EndedTrack(2, 0, 3, 4, true),
                        new EndedTrack(3, 3, 3, 1, false));
        assertThat(tracker.liveTracks()).isZero();
        assertThat(ids(tracker.update(4, frame(face(100, 100, 80))))).containsExactly(4L);
    }
}
