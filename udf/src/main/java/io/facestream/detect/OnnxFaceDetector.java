package io.facestream.detect;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.copyMakeBorder;

import io.facestream.model.ModelSpec;
import io.facestream.model.OnnxModel;
import io.facestream.model.TensorPacker;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * A detector made of the three parts every ONNX face detector has: letterbox pre-processing (from
 * the manifest), the session, and a family-specific {@link DetectionDecoder}; then NMS and the
 * mapping back to original pixels.
 */
public final class OnnxFaceDetector implements FaceDetector {
    private final OnnxModel model;
    private final DetectionDecoder decoder;
    private final float minScore;
    private final float nmsIou;
    private final float padFraction;
    private FloatBuffer input;

    public OnnxFaceDetector(OnnxModel model, DetectionDecoder decoder, DetectorOptions options) {
        this.model = model;
        this.decoder = decoder;
        ModelSpec spec = model.spec();
        this.minScore =
                Float.isNaN(options.minDetectionScore())
                        ? (float) spec.threshold("minDetectionScore", 0.6)
                        : options.minDetectionScore();
        this.nmsIou =
                Float.isNaN(options.nmsIou())
                        ? (float) spec.threshold("nmsIou", 0.4)
                        : options.nmsIou();
        this.padFraction = options.padFraction();
    }

    @Override
    public ModelSpec spec() {
        return model.spec();
    }

    public float minScore() {
        return minScore;
    }

    @Override
    public List<Face> detect(Mat bgr) {
        if (bgr.empty() || bgr.channels() != 3) {
            throw new IllegalArgumentException(
                    "detector needs a non-empty 3-channel BGR image, got "
                            + bgr.cols()
                            + "x"
                            + bgr.rows()
                            + "x"
                            + bgr.channels());
        }
        if (padFraction <= 0) {
            return detectUnpadded(bgr);
        }
        int px = Math.round(bgr.cols() * padFraction);
        int py = Math.round(bgr.rows() * padFraction);
        try (Mat padded = new Mat()) {
            copyMakeBorder(bgr, padded, py, py, px, px, BORDER_CONSTANT, Scalar.all(0));
            List<Face> found = detectUnpadded(padded);
            List<Face> out = new ArrayList<>(found.size());
            for (Face f : found) {
                out.add(f.unmap(1f, px, py));
            }
            return out;
        }
    }

    private List<Face> detectUnpadded(Mat bgr) {
        Letterbox lb = Letterbox.plan(bgr.cols(), bgr.rows(), model.spec().input());
        int n = 3 * lb.inputWidth() * lb.inputHeight();
        if (input == null || input.capacity() < n) {
            input = TensorPacker.allocate(1, lb.inputWidth(), lb.inputHeight());
        }
        input.clear();
        try (Mat fitted = lb.apply(bgr)) {
            TensorPacker.pack(fitted, model.spec().input(), input);
        }
        input.flip();
        OnnxModel.Outputs out =
                model.run(input, new long[] {1, 3, lb.inputHeight(), lb.inputWidth()});
        List<Face> raw = decoder.decode(out, lb.inputWidth(), lb.inputHeight(), minScore);
        List<Face> kept = Nms.apply(raw, nmsIou);
        List<Face> result = new ArrayList<>(kept.size());
        for (Face f : kept) {
            result.add(lb.undo(f).clip(bgr.cols(), bgr.rows()));
        }
        return result;
    }

    @Override
    public void close() {
        model.close();
    }
}
