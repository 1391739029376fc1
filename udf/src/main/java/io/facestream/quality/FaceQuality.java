package io.facestream.quality;

import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.meanStdDev;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.Laplacian;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import io.facestream.detect.Face;
import java.io.Serializable;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Cheap per-face quality measures, taken before a face is embedded.
 *
 * @param interOcular distance between the two eye landmarks, in frame pixels (shrinks with yaw)
 * @param minSide the shorter side of the detection box, in frame pixels
 * @param sharpness variance of the Laplacian (OpenCV's 4-neighbour kernel) of the grey aligned
 *     crop: higher = more fine detail; blur, darkness and flat blobs read low
 * @param yaw degrees, 0 = frontal, positive when the nose points to the image right (see {@link
 *     HeadPose})
 * @param pitch degrees, 0 = frontal, positive when the subject looks down (see {@link HeadPose})
 * @param score the detector's confidence in [0, 1]
 */
public record FaceQuality(
        float interOcular, float minSide, float sharpness, float yaw, float pitch, float score)
        implements Serializable {

    /**
     * Frontal inter-ocular distance over the shorter box side, median over the gallery faces of
     * {@code shared/data/people} with RetinaFace (docs/quality.md).
     */
    static final float EYES_OVER_SIDE = 0.40f;

    /**
     * Measures {@code face} and its aligned crop (8-bit BGR, as {@code FaceAligner} makes it, in
     * pixels of the same frame as {@code face}); the crop is read, not closed.
     */
    public static FaceQuality measure(Face face, Mat alignedBgrCrop) {
        float[] l = face.landmarks();
        float interOcular = (float) Math.hypot(l[2] - l[0], l[3] - l[1]);
        HeadPose pose = HeadPose.estimate(l);
        return new FaceQuality(
                interOcular,
                Math.min(face.width(), face.height()),
                (float) sharpness(alignedBgrCrop),
                pose.yaw(),
                pose.pitch(),
                face.score());
    }

    /** Variance of the Laplacian of the grey image: the classic focus measure (Pech-Pacheco). */
    public static double sharpness(Mat bgr) {
        try (Mat grey = new Mat();
                Mat lap = new Mat();
                Mat mean = new Mat();
                Mat std = new Mat()) {
            if (bgr.channels() == 1) {
                bgr.copyTo(grey);
            } else {
                cvtColor(bgr, grey, COLOR_BGR2GRAY);
            }
            Laplacian(grey, lap, CV_64F);
            meanStdDev(lap, mean, std);
            try (DoubleIndexer sd = std.createIndexer()) {
                return sd.get(0) * sd.get(0);
            }
        }
    }

    /**
     * The face's size as a frontal inter-ocular distance: the eye distance, or the box's shorter
     * side times the frontal eyes-to-side ratio when that is larger. A turned head brings the eyes
     * together but not the box, so a big profile face is judged on its pose, not its size.
     */
    public float frontalInterOcular() {
        return Math.max(interOcular, EYES_OVER_SIDE * minSide);
    }
}
