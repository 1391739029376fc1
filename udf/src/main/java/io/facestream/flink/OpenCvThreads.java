package io.facestream.flink;

import org.bytedeco.opencv.global.opencv_core;

/**
 * Keeps OpenCV's own thread pool out of the way. OpenCV parallelises resize, warp and colour
 * conversion over all cores by default; inside a Flink task, where parallelism comes from subtasks,
 * a second layer of threads only competes with the other subtasks for the same cores. (On the
 * 2-core bench machine the difference was within noise: the stages OpenCV runs there are small.)
 * The setting is process-wide, so every operator that uses OpenCV calls {@link #single()} in {@code
 * open}.
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
