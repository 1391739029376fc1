package io.facestream.annotate;

import io.facestream.detect.Face;
import io.facestream.schema.FaceIdentity;
import io.facestream.schema.Point;
import java.util.List;
import java.util.Locale;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * Draws identity records onto a frame: each face's box, landmarks and a label (name and similarity;
 * "Unknown"; the failed quality gate; "lookup failed"), green for named faces.
 */
public final class IdentityDrawing {
    /** Grey: faces that could not be recognised (failed a quality gate). */
    public static final Scalar NOT_RECOGNISABLE = new Scalar(160, 160, 160, 0);

    private IdentityDrawing() {}

    public static void draw(Mat img, List<FaceIdentity> ids) {
        for (FaceIdentity id : ids) {
            Scalar colour =
                    switch (id.getStatus()) {
                        case MATCHED -> FaceAnnotator.KNOWN;
                        case NOT_RECOGNISABLE ->
                                id.getIdentity() != null ? FaceAnnotator.KNOWN : NOT_RECOGNISABLE;
                        default -> FaceAnnotator.UNKNOWN;
                    };
            FaceAnnotator.draw(img, toFace(id), label(id), colour);
        }
    }

    public static String label(FaceIdentity id) {
        return switch (id.getStatus()) {
            case MATCHED ->
                    id.getSimilarity() == null
                            ? id.getIdentity()
                            : String.format(
                                    Locale.ROOT, "%s %.2f", id.getIdentity(), id.getSimilarity());
            case UNKNOWN ->
                    id.getSimilarity() == null
                            ? "Unknown"
                            : String.format(Locale.ROOT, "Unknown %.2f", id.getSimilarity());
            case NOT_RECOGNISABLE ->
                    (id.getIdentity() != null ? id.getIdentity() + " " : "")
                            + "("
                            + String.valueOf(id.getReason()).toLowerCase(Locale.ROOT)
                            + ")";
            default -> "lookup failed";
        };
    }

    /** The record's box, landmarks and detection score as a {@link Face}. */
    public static Face toFace(FaceIdentity id) {
        float[] lm = new float[10];
        for (int k = 0; k < 5; k++) {
            Point p = id.getLandmarks().get(k);
            lm[2 * k] = p.getX();
            lm[2 * k + 1] = p.getY();
        }
        var b = id.getBox();
        return new Face(b.getX1(), b.getY1(), b.getX2(), b.getY2(), lm, id.getDetectionScore());
    }
}
