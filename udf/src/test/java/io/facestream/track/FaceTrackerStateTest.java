package io.facestream.track;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The tracker's state: snapshot and restore, and bounds over long runs. */
class FaceTrackerStateTest {
    private static final TrackerSettings SETTINGS = TrackerSettings.defaults();

    @Test
    void restoringASnapshotMidStreamGivesExactlyTheUninterruptedOutput() {
        List<Scene.Frame> frames = Scene.generate(7, 600, 0.25);
        FaceTracker uninterrupted = new FaceTracker(SETTINGS);
        List<TrackerStep> expected = run(uninterrupted, frames);

        FaceTracker first = new FaceTracker(SETTINGS);
        List<TrackerStep> actual = new ArrayList<>(run(first, frames.subList(0, 300)));
        byte[] snapshot = first.snapshot();
        assertThat(first.liveTracks()).isPositive();
        FaceTracker restored = FaceTracker.restore(SETTINGS, snapshot);
        assertThat(restored.snapshot()).isEqualTo(snapshot);
        assertThat(restored.liveTracks()).isEqualTo(first.liveTracks());
        assertThat(restored.lastSequence()).isEqualTo(first.lastSequence());
        actual.addAll(run(restored, frames.subList(300, frames.size())));

        assertThat(actual).isEqualTo(expected);
        assertThat(restored.snapshot()).isEqualTo(uninterrupted.snapshot());
        assertThat(restored.endAll()).isEqualTo(uninterrupted.endAll());
    }

    @Test
    void theSameFramesGiveTheSameSteps() {
        List<Scene.Frame> frames = Scene.generate(3, 400, 0.3);
        assertThat(run(new FaceTracker(SETTINGS), frames))
                .isEqualTo(run(new FaceTracker(SETTINGS), frames));
    }

    @Test
    void tenThousandFramesOfShortTracksKeepStateBounded() {
        List<Scene.Frame> frames = Scene.generate(11, 10_000, 0.4);
        FaceTracker tracker = new FaceTracker(SETTINGS);
        Set<Long> ended = new HashSet<>();
        long maxId = 0;
        int maxLive = 0;
        int maxSnapshot = 0;
        for (Scene.Frame f : frames) {
            TrackerStep step = tracker.update(f.sequence(), f.detections());
            for (TrackAssignment a : step.assignments()) {
                maxId = Math.max(maxId, a.trackId());
            }
            for (EndedTrack e : step.ended()) {
                assertThat(ended.add(e.trackId())).as("track %d ended twice", e.trackId()).isTrue();
            }
            maxLive = Math.max(maxLive, tracker.liveTracks());
            int size = tracker.snapshot().length;
            // Compact: a fixed header and a fixed number of bytes per live track.
            assertThat(size).isLessThanOrEqualTo(32 + 210 * tracker.liveTracks());
            maxSnapshot = Math.max(maxSnapshot, size);
        }
        for (EndedTrack e : tracker.endAll()) {
            assertThat(ended.add(e.trackId())).isTrue();
        }
        // Thousands of tracks came and went; every id was used once and ended once.
        assertThat(maxId).isGreaterThan(3_000);
        assertThat(ended).hasSize((int) maxId);
        // About 10 faces on screen plus tracks lost within the last maxLostFrames frames.
        assertThat(maxLive).isLessThan(60);
        assertThat(maxSnapshot).isLessThan(32 + 210 * 60);
        assertThat(tracker.liveTracks()).isZero();
    }

    @Test
    void refusesBytesThatAreNoSnapshot() {
        byte[] good = new FaceTracker(SETTINGS).snapshot();
        byte[] truncated = Arrays.copyOf(good, good.length - 1);
        assertThatThrownBy(() -> FaceTracker.restore(SETTINGS, truncated))
                .isInstanceOf(IllegalArgumentException.class);
        byte[] wrongVersion = good.clone();
        wrongVersion[0] = 99;
        assertThatThrownBy(() -> FaceTracker.restore(SETTINGS, wrongVersion))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version");
    }

    private static List<TrackerStep> run(FaceTracker tracker, List<Scene.Frame> frames) {
        List<TrackerStep> steps = new ArrayList<>(frames.size());
        for (Scene.Frame f : frames) {
            steps.add(tracker.update(f.sequence(), f.detections()));
        }
        return steps;
    }
}
