package io.facestream.align;

import org.bytedeco.opencv.opencv_core.Mat;

/**
 * A face warped onto the ArcFace template: an 8-bit BGR {@code size×size} crop the caller closes,
 * the 2×3 transform used, and the mean landmark-to-template distance after the fit (pixels of the
 * crop; large values mean a profile face or bad landmarks).
 */
public record AlignedFace(Mat crop, double[] transform, double residual) implements AutoCloseable {
    @Override
    public void close() {
        crop.close();
    }
}
