package io.facestream.bench;

import java.util.Map;

/**
 * One sample of a soak run.
 *
 * @param seconds since the job was submitted
 * @param heapMb heap used right after a full GC (live objects: what would leak)
 * @param trackerBytes state size of the tracker in the latest completed checkpoint (-1: none yet)
 * @param checkpointBytes full size of the latest completed checkpoint (-1: none yet)
 * @param checkpoints completed checkpoints so far
 * @param cameras per camera id: frames in (decoded), processed (out of the job), dropped (stale,
 *     newest kept), the source's lag (ms, wall clock − capture) and the output lag (ms, end of the
 *     job − capture)
 * @param frames frames that came out of the job since the previous sample
 * @param p50Ms median frame→record latency of those frames (capture → end of the job)
 * @param p99Ms 99th percentile of the same
 * @param outOfOrder frames so far whose sequence or timestamp went backwards within their camera
 */
public record SoakSample(
        long seconds,
        long heapMb,
        long trackerBytes,
        long checkpointBytes,
        long checkpoints,
        Map<String, Camera> cameras,
        long frames,
        double p50Ms,
        double p99Ms,
        long outOfOrder) {

    public SoakSample {
        // by camera id, so tables and CSV columns come in one order
        cameras = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(cameras));
    }

    /** One camera's counters and lags at the sample. */
    public record Camera(long in, long processed, long dropped, long lagMs, long outputLagMs) {}

    public long total(java.util.function.ToLongFunction<Camera> f) {
        return cameras.values().stream().mapToLong(f).sum();
    }

    public long maxOf(java.util.function.ToLongFunction<Camera> f) {
        return cameras.values().stream().mapToLong(f).max().orElse(-1);
    }
}
