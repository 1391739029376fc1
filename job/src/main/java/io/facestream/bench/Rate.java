package io.facestream.bench;

/**
 * Frames and faces processed in {@code seconds} of wall-clock time, and the cores this JVM kept
 * busy meanwhile (process CPU time / wall time; NaN when unknown).
 */
public record Rate(long frames, long faces, double seconds, double cores) {
    public Rate(long frames, long faces, double seconds) {
        this(frames, faces, seconds, Double.NaN);
    }

    /** CPU time of this JVM so far, in nanoseconds. */
    public static long cpuNanos() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean s
                ? s.getProcessCpuTime()
                : -1;
    }

    public double fps() {
        return frames / Math.max(1e-9, seconds);
    }

    public double facesPerSecond() {
        return faces / Math.max(1e-9, seconds);
    }

    /** CPU milliseconds this JVM spent per frame (noise from other processes barely moves it). */
    public double cpuMsPerFrame() {
        return cores * seconds * 1000 / Math.max(1, frames);
    }
}
