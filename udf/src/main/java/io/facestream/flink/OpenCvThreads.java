package io.facestream.flink;

import org.bytedeco.opencv.global.opencv_core;

/**
 * Keeps OpenCV's own thread pool out of the way. OpenCV parallelises resize, warp and colour
 * conversion over all cores by default, and its workers spin for a while after each call; inside a
 * Flink task, where parallelism comes from subtasks, that only burns CPU the models need (measured:
 * about 10 ms of CPU per frame on 2 cores). The setting is process-wide, so every operator that
 * uses OpenCV calls {@link #single()} in {@code open}.
 */
public final class OpenCvThreads {
    private static volatile boolean done;

    private OpenCvThreads() {}

    /** Makes OpenCV run every call on the calling thread. Idempotent. */
    public static void single() {
        if (!done) {
            opencv_core.setNumThreads(1);
            done = true;
        }
    }
}
