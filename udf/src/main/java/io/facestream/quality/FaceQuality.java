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
import org.bytedeco.opencv.opencv_core.Rect;

/**
 * Cheap per-face quality measures, taken before a face is embedded.
 *
 * @param interOcular distance between the two eye landmarks, in frame pixels (shrinks with yaw)
 * @param minSide the shorter side of the detection box, in frame pixels
 * @param sharpness variance of the Laplacian (OpenCV's 4-neighbour kernel) of the grey aligned
 *     crop's central face region ({@link #sharpness(Mat)}): higher = more fine detail; blur,
 *     darkness and flat blobs read low
 * @param yaw degrees, 0 = frontal, positive when the nose points to the image right (see {@link
 *     HeadPose})
 * @param pitch degrees, 0 = frontal, positive when the subject looks down (see {@link HeadPose})
 * @param score the detector's confidence in [0, 1]
 */
public record FaceQuality(
        float interOcular, float minSide, float sharpness, float yaw, float pitch, float score)
        implements Serializable {

    /**
     * Frontal inter-ocular distance over the shorter box side: the smallest ratio among the gallery
     * faces of {@code shared/data/people} with RetinaFace (0.40 to 0.50, docs/quality.md), so a
     * turned face is never credited with more size than a frontal one in the same box.
     */
    static final float EYES_OVER_SIDE = 0.40f;

    /**
     * Measures {@code face} (frame pixels) and the crop {@code FaceAligner} made of it from the
     * same frame (8-bit BGR, any square size); the crop is read, not closed.
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

    /**
     * Variance of the Laplacian (the classic focus measure, Pech-Pacheco 2000) of the grey aligned
     * crop, over its central region only: the template's eyes, nose and mouth with about 14 px of
     * margin ({@code x, y} in 24..88 × 36..100 of a 112 crop, scaled for other sizes). Hair and
     * background edges, and the black border the warp adds for a face at the frame's edge, would
     * otherwise lend a blurred face their sharpness (docs/quality.md measures both).
     */
    public static double sharpness(Mat alignedBgr) {
        double s = alignedBgr.cols() / 112.0;
        Rect centre =
                new Rect(
                        (int) Math.round(24 * s),
                        (int) Math.round(36 * s),
                        (int) Math.round(64 * s),
                        (int) Math.round(64 * s));
        try (Mat grey = new Mat();
                Mat lap = new Mat();
                Mat mean = new Mat();
                Mat std = new Mat()) {
            if (alignedBgr.channels() == 1) {
                alignedBgr.copyTo(grey);
            } else {
                cvtColor(alignedBgr, grey, COLOR_BGR2GRAY);
            }
            // Filter the whole crop, then cut: the region's edge pixels see real neighbours.
            Laplacian(grey, lap, CV_64F);
            try (Mat roi = lap.apply(centre)) {
                meanStdDev(roi, mean, std);
            }
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
