package io.facestream.track;

import java.io.Serializable;
import java.util.Objects;

/**
 * Thresholds of the per-camera {@link FaceTracker}.
 *
 * @param minIou smallest IoU (in (0, 1]) between a detection and a track's predicted box for the
 *     two to be associated; higher = stricter
 * @param minHits matched frames (the first one included) after which a tentative track is
 *     confirmed; 1 confirms at birth
 * @param maxLostFrames most consecutive frames (received or missing from the sequence) a track may
 *     go unmatched and still be recovered; one more ends it
 * @param highScore detection score at or above which a detection takes part in the first
 *     association pass; lower-scored ones only get the tracks left over (ByteTrack)
 * @param schedule when a tracked face is sent to the embedder
 */
public record TrackerSettings(
        float minIou, int minHits, int maxLostFrames, float highScore, ScheduleSettings schedule)
        implements Serializable {

    public TrackerSettings {
        if (!(minIou > 0f && minIou <= 1f)) {
            throw new IllegalArgumentException("minIou must be in (0, 1], was " + minIou);
        }
        if (minHits < 1) {
            throw new IllegalArgumentException("minHits must be at least 1, was " + minHits);
        }
        if (maxLostFrames < 0) {
            throw new IllegalArgumentException(
                    "maxLostFrames must not be negative, was " + maxLostFrames);
        }
        if (!(highScore >= 0f && highScore <= 1f)) {
            throw new IllegalArgumentException("highScore must be in [0, 1], was " + highScore);
        }
        Objects.requireNonNull(schedule, "schedule");
    }

    /** minIou 0.3, minHits 3, maxLostFrames 30, highScore 0.6, the default schedule. */
    public static TrackerSettings defaults() {
        return new TrackerSettings(0.3f, 3, 30, 0.6f, ScheduleSettings.defaults());
    }
}
