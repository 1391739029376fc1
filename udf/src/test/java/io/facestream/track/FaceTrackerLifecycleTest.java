package io.facestream.track;

import static io.facestream.track.Faces.face;
import static io.facestream.track.Faces.frame;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Track states: tentative, confirmed, lost, ended (minHits 3, maxLostFrames 5). */
class FaceTrackerLifecycleTest {
    private static final TrackerSettings SETTINGS =
            new TrackerSettings(0.3f, 3, 5, 0.6f, ScheduleSettings.defaults());

    private static FaceTracker confirmedAt2() {
        FaceTracker tracker = new FaceTracker(SETTINGS);
        assertThat(state(tracker.update(0, frame(face(100, 100, 80)))))
                .isEqualTo(TrackState.TENTATIVE);
        assertThat(state(tracker.update(1, frame(face(100, 100, 80)))))
                .isEqualTo(TrackState.TENTATIVE);
        assertThat(state(tracker.update(2, frame(face(100, 100, 80)))))
                .isEqualTo(TrackState.CONFIRMED);
        return tracker;
    }

    @Test
    void aConfirmedTrackIsLostThenEndsAfterMaxLostFrames() {
        FaceTracker tracker = confirmedAt2();
        for (int t = 3; t <= 7; t++) {
            TrackerStep step = tracker.update(t, List.of());
            assertThat(step.ended()).as("frame %d", t).isEmpty();
            assertThat(tracker.liveTracks()).isEqualTo(1);
        }
        TrackerStep step = tracker.update(8, List.of());
        assertThat(step.ended()).containsExactly(new EndedTrack(1, 0, 2, 3, true));
        assertThat(tracker.liveTracks()).isZero();
    }

    @Test
    void aLostTrackFoundWithinMaxLostFramesIsConfirmedAgain() {
        FaceTracker tracker = confirmedAt2();
        for (int t = 3; t <= 7; t++) {
            tracker.update(t, List.of());
        }
        TrackerStep back = tracker.update(8, frame(face(100, 100, 80)));
        assertThat(back.assignments())
                .extracting(TrackAssignment::trackId, TrackAssignment::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, TrackState.CONFIRMED));
    }

    @Test
    void aTentativeTrackThatMissesAFrameEndsUnconfirmed() {
        FaceTracker tracker = new FaceTracker(SETTINGS);
        tracker.update(0, frame(face(100, 100, 80)));
        tracker.update(1, frame(face(100, 100, 80)));
        TrackerStep step = tracker.update(2, List.of());
        assertThat(step.ended()).containsExactly(new EndedTrack(1, 0, 1, 2, false));
        assertThat(tracker.liveTracks()).isZero();
    }

    @Test
    void missingSequenceNumbersCountAsMissedFrames() {
        // Frames 3..7 never arrive: five missed, the track is still there at 8.
        FaceTracker kept = confirmedAt2();
        TrackerStep step = kept.update(8, frame(face(100, 100, 80)));
        assertThat(step.assignments().get(0).trackId()).isEqualTo(1L);
        assertThat(step.ended()).isEmpty();

        // Frames 3..8 never arrive: six missed, the track ended before frame 9 was associated.
        FaceTracker expired = confirmedAt2();
        step = expired.update(9, frame(face(100, 100, 80)));
        assertThat(step.ended()).containsExactly(new EndedTrack(1, 0, 2, 3, true));
        assertThat(step.assignments())
                .containsExactly(new TrackAssignment(2, TrackState.TENTATIVE, true, true));
    }

    @Test
    void minHitsOfOneConfirmsAtBirth() {
        FaceTracker tracker =
                new FaceTracker(new TrackerSettings(0.3f, 1, 5, 0.6f, ScheduleSettings.defaults()));
        assertThat(tracker.update(0, frame(face(100, 100, 80))).assignments())
                .containsExactly(new TrackAssignment(1, TrackState.CONFIRMED, true, true));
        // Confirmed, so a miss makes it lost, not ended.
        assertThat(tracker.update(1, List.of()).ended()).isEmpty();
        assertThat(tracker.liveTracks()).isEqualTo(1);
    }

    private static TrackState state(TrackerStep step) {
        return step.assignments().get(0).state();
    }
}
