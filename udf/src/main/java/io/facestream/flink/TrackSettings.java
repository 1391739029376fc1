package io.facestream.flink;

import io.facestream.track.TrackerSettings;
import io.facestream.track.VoteSettings;
import java.io.Serializable;

/**
 * What {@link TrackerFunction} and {@link TrackAssembler} need: the tracker's own settings
 * (association, lifecycle, embedding schedule), the identity vote, how long a camera's frame order
 * waits for a missing frame ({@code track.gap-timeout}), after how long without frames a camera's
 * tracks end ({@code track.idle-timeout}), and how different two frames must look for a shot cut
 * that ends every track ({@code track.cut-threshold}, a mean grey-level difference of their {@link
 * io.facestream.decode.FrameSignature}s; 0 = never), and how many frames of a camera may wait for a
 * missing one before it is skipped without waiting out the gap timeout ({@code
 * track.max-waiting-frames}, so the tracker's state stays bounded whatever the arrival order).
 */
public record TrackSettings(
        TrackerSettings tracker,
        VoteSettings vote,
        long gapTimeoutMs,
        long idleTimeoutMs,
        float cutThreshold,
        int maxWaitingFrames)
        implements Serializable {

    public TrackSettings {
        if (maxWaitingFrames < 1) {
            throw new IllegalArgumentException(
                    "track.max-waiting-frames must be at least 1, got " + maxWaitingFrames);
        }
    }

    /** {@code track.mode: every-frame}: every face embedded and decided on its own, as before. */
    public boolean everyFrame() {
        return tracker.schedule().everyFrame();
    }
}
