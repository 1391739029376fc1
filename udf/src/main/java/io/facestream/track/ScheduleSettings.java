package io.facestream.track;

import java.io.Serializable;

/**
 * When a tracked face is embedded (see {@link EmbedSchedule}).
 *
 * @param everyFrame embed every detection of every frame, gate or not (the schedule is off)
 * @param maxInterval cap, in frame sequence numbers, of the doubling interval between two embedded
 *     faces of one track
 * @param betterQualityFactor a face is embedded out of turn when its quality exceeds the best
 *     embedded quality of its track times this factor; higher = fewer extra embeddings
 */
public record ScheduleSettings(boolean everyFrame, int maxInterval, float betterQualityFactor)
        implements Serializable {

    public ScheduleSettings {
        if (maxInterval < 1) {
            throw new IllegalArgumentException(
                    "maxInterval must be at least 1, was " + maxInterval);
        }
        if (!(betterQualityFactor > 0f) || Float.isInfinite(betterQualityFactor)) {
            throw new IllegalArgumentException(
                    "betterQualityFactor must be positive and finite, was " + betterQualityFactor);
        }
    }

    /** Scheduled (not every frame), intervals capped at 16 frames, re-embed on 1.25x quality. */
    public static ScheduleSettings defaults() {
        return new ScheduleSettings(false, 16, 1.25f);
    }
}
