package io.facestream.flink.source;

import io.facestream.flink.source.VideoSourceOptions.WhenBehind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The drop policy of one live (or paced) stream: a frame read more than {@code source.live.max-lag}
 * after its capture is dropped under {@link WhenBehind#DROP_OLDEST}, so the frames that reach the
 * job are the newest ones and its lag stays bounded. Drops are counted in {@code framesDropped} and
 * reported in a warning at most every {@link #WARN_EVERY_MS}, with the count since the last one.
 */
final class StaleFrames {
    private static final Logger LOG = LoggerFactory.getLogger(StaleFrames.class);
    static final long WARN_EVERY_MS = 10_000;

    private final String cameraId;
    private final boolean drop;
    private final long maxLagMs;
    private final CameraMetrics metrics;
    private long warnedAtMs; // epoch: the first drop warns at once
    private long droppedSinceWarning;
    private long worstLagMs;

    StaleFrames(String cameraId, VideoSourceOptions options, CameraMetrics metrics) {
        this.cameraId = cameraId;
        this.drop = options.whenBehind() == WhenBehind.DROP_OLDEST;
        this.maxLagMs = options.maxLag().toMillis();
        this.metrics = metrics;
    }

    /** Whether the frame captured at {@code captureMs} and read at {@code nowMs} is dropped. */
    boolean drop(long captureMs, long nowMs) {
        long lag = nowMs - captureMs;
        if (!drop || lag <= maxLagMs) {
            return false;
        }
        metrics.dropped();
        droppedSinceWarning++;
        worstLagMs = Math.max(worstLagMs, lag);
        if (nowMs - warnedAtMs >= WARN_EVERY_MS) {
            LOG.warn(
                    "Camera {}: the job is slower than the camera; dropped {} frame(s) read up to {}"
                            + " ms after capture (source.live.max-lag={} ms, {} dropped in all)."
                            + " Lower source.max-fps to sample frames instead.",
                    cameraId,
                    droppedSinceWarning,
                    worstLagMs,
                    maxLagMs,
                    metrics.droppedCount());
            warnedAtMs = nowMs;
            droppedSinceWarning = 0;
            worstLagMs = 0;
        }
        return true;
    }
}
