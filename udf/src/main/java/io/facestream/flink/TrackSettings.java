package io.facestream.flink;

import io.facestream.quality.QualityReason;
import io.facestream.schema.internal.DetectedFace;
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
 * track.max-waiting-frames}, so the tracker's state stays bounded whatever the arrival order), and
 * how faces that failed only the pose gate are treated ({@code poseMargin}: embedded on their
 * track's schedule and named only when their similarity beats the match threshold by this much;
 * {@code +infinity}: never embedded).
 */
public record TrackSettings(
        TrackerSettings tracker,
        VoteSettings vote,
        long gapTimeoutMs,
        long idleTimeoutMs,
        float cutThreshold,
        int maxWaitingFrames,
        float poseMargin)
        implements Serializable {

    public TrackSettings {
        if (maxWaitingFrames < 1) {
            throw new IllegalArgumentException(
                    "track.max-waiting-frames must be at least 1, got " + maxWaitingFrames);
        }
        if (!(poseMargin >= 0)) {
            throw new IllegalArgumentException("the pose margin must be >= 0, got " + poseMargin);
        }
    }

    /** Faces that failed only the pose gate are never embedded. */
    public TrackSettings(
            TrackerSettings tracker,
            VoteSettings vote,
            long gapTimeoutMs,
            long idleTimeoutMs,
            float cutThreshold,
            int maxWaitingFrames) {
        this(
                tracker,
                vote,
                gapTimeoutMs,
                idleTimeoutMs,
                cutThreshold,
                maxWaitingFrames,
                Float.POSITIVE_INFINITY);
    }

    /**
     * Whether the face may be embedded when its track's schedule says so: it passed the gates, or
     * failed only the pose gate while pose faces are identified.
     */
    public boolean embeddable(DetectedFace d) {
        return d.getGateReason() == null || poseOnly(d) && Float.isFinite(poseMargin);
    }

    /** The face failed the pose gate and nothing else (the gates check pose last). */
    public static boolean poseOnly(DetectedFace d) {
        return QualityReason.POSE.name().equals(d.getGateReason());
    }

    /** {@code track.mode: every-frame}: every face embedded and decided on its own, as before. */
    public boolean everyFrame() {
        return tracker.schedule().everyFrame();
    }
}
