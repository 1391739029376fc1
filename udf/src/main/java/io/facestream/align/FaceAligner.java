package io.facestream.align;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

import io.facestream.detect.Face;
import java.nio.DoubleBuffer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Aligns a detected face to the ArcFace template: least-squares similarity from its 5 landmarks to
 * the template, then an OpenCV bilinear {@code warpAffine} (zero border) into a square crop.
 */
public final class FaceAligner {
    private final int size;
    private final float[] template;

    /** An aligner for {@code size}×{@code size} crops (112 for the shipped embedders, or 128). */
    public FaceAligner(int size) {
        this.size = size;
        this.template = ArcFaceTemplate.forSize(size);
    }

    public int size() {
        return size;
    }

    public AlignedFace align(Mat bgr, Face face) {
        double[] m = SimilarityTransform.estimate(face.landmarks(), template);
        double residual = SimilarityTransform.meanResidual(m, face.landmarks(), template);
        Mat crop = new Mat();
        try (Mat matrix = new Mat(2, 3, CV_64F)) {
            DoubleBuffer buf = matrix.createBuffer();
            buf.put(m);
            warpAffine(
                    bgr,
                    crop,
                    matrix,
                    new Size(size, size),
                    INTER_LINEAR,
                    BORDER_CONSTANT,
                    Scalar.all(0));
        }
        return new AlignedFace(crop, m, residual);
    }
}
