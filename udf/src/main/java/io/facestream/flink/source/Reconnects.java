package io.facestream.flink.source;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection story of one live stream, told once: its reconnect {@link Backoff}, and what the
 * console hears — one WARN when it is lost (why, in plain words: {@link CameraErrors}), one INFO
 * when it is back (and after how long), the failed attempts in between at DEBUG, one ERROR when it
 * is given up (with the {@code givenUp} metric). Runs on the fetcher thread.
 */
final class Reconnects {
    private static final Logger LOG = LoggerFactory.getLogger(StreamCursor.class);

    /** {@link #failed} when the stream is given up. */
    static final long GIVE_UP = -1;

    private final String cameraId;
    private final String shownUri;
    private final VideoSourceOptions options;
    private final CameraMetrics camera;
    private final Backoff backoff;
    private long lostAtMs;

    Reconnects(String cameraId, String shownUri, VideoSourceOptions options, CameraMetrics camera) {
        this.cameraId = cameraId;
        this.shownUri = shownUri;
        this.options = options;
        this.camera = camera;
        this.backoff =
                new Backoff(
                        options.reconnectInitialDelay(),
                        options.reconnectMaxDelay(),
                        options.maxReconnects());
    }

    /** The stream opened. */
    void opened() {
        if (lostAtMs > 0) {
            LOG.info(
                    "Camera {} is back after {} s: {}",
                    cameraId,
                    (System.currentTimeMillis() - lostAtMs + 500) / 1000,
                    shownUri);
            lostAtMs = 0;
        } else {
            LOG.info("Camera {} connected: {}", cameraId, shownUri);
        }
    }

    /** A frame was read: the next drop starts the backoff from its initial delay again. */
    void frameRead() {
        backoff.connected();
    }

    /** A drop or failed attempt: the delay before the next attempt, or {@link #GIVE_UP}. */
    long failed(Throwable error) {
        long delayMs = backoff.failed();
        String why = CameraErrors.describe(error);
        if (backoff.exhausted()) {
            camera.givenUp();
            LOG.error(
                    "Camera {} given up: unreachable after {} attempts in a row"
                            + " (source.max-reconnects={}); last error: {}",
                    cameraId,
                    backoff.failures(),
                    options.maxReconnects(),
                    why);
            return GIVE_UP;
        }
        if (backoff.failures() == 1) {
            lostAtMs = System.currentTimeMillis();
            LOG.warn(
                    "Camera {} lost: {}. Reconnecting every {} at most: {}",
                    cameraId,
                    why,
                    shown(options.reconnectMaxDelay()),
                    shownUri);
        } else {
            // One line per outage on the console; the attempts themselves at debug.
            LOG.debug(
                    "Camera {}: attempt {} failed ({}), next in {} ms",
                    cameraId,
                    backoff.failures(),
                    why,
                    delayMs);
        }
        return delayMs;
    }

    private static String shown(java.time.Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    int failures() {
        return backoff.failures();
    }
}
