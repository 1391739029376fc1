package io.facestream.bench;

/** Frames and faces processed in {@code seconds} of wall-clock time. */
public record Rate(long frames, long faces, double seconds) {
    public double fps() {
        return frames / Math.max(1e-9, seconds);
    }

    public double facesPerSecond() {
        return faces / Math.max(1e-9, seconds);
    }
}
