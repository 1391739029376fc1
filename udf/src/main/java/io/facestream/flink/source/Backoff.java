package io.facestream.flink.source;

import java.time.Duration;

/**
 * Reconnect policy of one live stream: exponential delay (initial, doubling, capped) and a limit on
 * failed attempts in a row ({@code -1} = none). A frame read successfully resets it, so a camera
 * that comes back is retried quickly the next time it drops.
 */
final class Backoff {
    private final long initialMs;
    private final long maxMs;
    private final int maxReconnects;
    private int failures;

    Backoff(Duration initial, Duration max, int maxReconnects) {
        this.initialMs = initial.toMillis();
        this.maxMs = max.toMillis();
        this.maxReconnects = maxReconnects;
    }

    /** Records a failed connect or a drop; returns the delay before the next attempt. */
    long failed() {
        failures++;
        int doublings = Math.min(failures - 1, 30);
        return Math.min(maxMs, initialMs << doublings);
    }

    /** True once the failures exceed the initial attempt plus {@code maxReconnects} retries. */
    boolean exhausted() {
        return maxReconnects >= 0 && failures > maxReconnects;
    }

    int failures() {
        return failures;
    }

    void connected() {
        failures = 0;
    }
}
