package io.facestream.model;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.split;

import java.nio.FloatBuffer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;

/**
 * Turns an 8-bit BGR image that already has the model's input size into NCHW floats: channel order,
 * mean and std from the manifest ({@code (pixel - mean[c]) / std[c]}). OpenCV does the per-pixel
 * arithmetic; Java only moves whole planes.
 */
public final class TensorPacker {
    private TensorPacker() {}

    /** Appends one image (3 planes of rows×cols floats) at the buffer's position. */
    public static void pack(Mat bgr, ModelSpec.InputSpec spec, FloatBuffer dst) {
        if (bgr.channels() != 3) {
            throw new IllegalArgumentException(
                    "expected a 3-channel BGR image, got " + bgr.channels());
        }
        try (MatVector planes = new MatVector(3)) {
            split(bgr, planes);
            for (int c = 0; c < 3; c++) {
                // planes are B,G,R; an RGB model reads plane 2 first.
                int src = spec.rgb() ? 2 - c : c;
                double alpha = 1.0 / spec.std()[c];
                double beta = -spec.mean()[c] / spec.std()[c];
                try (Mat plane = planes.get(src);
                        Mat f = new Mat()) {
                    plane.convertTo(f, CV_32F, alpha, beta);
                    FloatBuffer fb = f.createBuffer();
                    if (f.isContinuous()) {
                        dst.put(fb);
                    } else {
                        throw new IllegalStateException("non-continuous plane");
                    }
                }
            }
        }
    }

    /** A direct buffer for {@code batch} images of the given size. */
    public static FloatBuffer allocate(int batch, int width, int height) {
        return java.nio.ByteBuffer.allocateDirect(batch * 3 * width * height * Float.BYTES)
                .order(java.nio.ByteOrder.nativeOrder())
                .asFloatBuffer();
    }
}
