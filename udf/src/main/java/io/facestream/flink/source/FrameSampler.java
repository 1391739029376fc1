package io.facestream.flink.source;

/**
 * Decides which decoded frames to emit: every n-th frame index and/or at most {@code maxFps} per
 * second. The rate limit keeps the first frame of each 1/maxFps time slot after the slot of the
 * last frame kept, so its decision depends only on the frame index, its time and the last kept
 * frame's time — all of which a restored split knows, which keeps sampling identical across a
 * restore.
 */
final class FrameSampler {
    private final int everyNth;
    private final double maxFps;
    private long lastSlot = Long.MIN_VALUE;

    FrameSampler(int everyNth, double maxFps) {
        this.everyNth = everyNth;
        this.maxFps = maxFps;
    }

    /** Continue after a frame emitted at {@code timeMs} (a restore). */
    void resumeAfter(long timeMs) {
        lastSlot = slot(timeMs);
    }

    /** Whether to emit frame {@code index} at stream time {@code timeMs}; remembers it if so. */
    boolean keep(long index, long timeMs) {
        if (index % everyNth != 0) {
            return false;
        }
        if (maxFps > 0) {
            long slot = slot(timeMs);
            if (slot <= lastSlot) {
                return false;
            }
            lastSlot = slot;
        }
        return true;
    }

    private long slot(long timeMs) {
        return maxFps > 0 ? (long) Math.floor(timeMs * maxFps / 1000.0) : 0;
    }
}
