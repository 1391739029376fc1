package io.facestream.annotate;

import static org.bytedeco.opencv.global.opencv_imgproc.FILLED;
import static org.bytedeco.opencv.global.opencv_imgproc.FONT_HERSHEY_SIMPLEX;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_AA;
import static org.bytedeco.opencv.global.opencv_imgproc.circle;
import static org.bytedeco.opencv.global.opencv_imgproc.getTextSize;
import static org.bytedeco.opencv.global.opencv_imgproc.putText;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;

import io.facestream.detect.Face;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Draws faces on a BGR image in place with OpenCV: box, the five landmarks (eyes blue, nose green,
 * mouth red) and a label above the box. Line widths scale with the image so labels stay readable on
 * both 640×360 and 4K frames.
 */
public final class FaceAnnotator {
    public static final Scalar KNOWN = new Scalar(0, 200, 0, 0);
    public static final Scalar UNKNOWN = new Scalar(0, 0, 230, 0);
    private static final Scalar[] LANDMARK_COLOURS = {
        new Scalar(255, 0, 0, 0),
        new Scalar(255, 0, 0, 0),
        new Scalar(0, 255, 0, 0),
        new Scalar(0, 0, 255, 0),
        new Scalar(0, 0, 255, 0)
    };

    private FaceAnnotator() {}

    public static void draw(Mat bgr, Face face, String label, Scalar colour) {
        int thick = Math.max(1, Math.round(Math.max(bgr.cols(), bgr.rows()) / 500f));
        rectangle(
                bgr,
                new Point(Math.round(face.x1()), Math.round(face.y1())),
                new Point(Math.round(face.x2()), Math.round(face.y2())),
                colour,
                thick,
                LINE_AA,
                0);
        for (int k = 0; k < 5; k++) {
            circle(
                    bgr,
                    new Point(Math.round(face.lx(k)), Math.round(face.ly(k))),
                    thick + 1,
                    LANDMARK_COLOURS[k],
                    FILLED,
                    LINE_AA,
                    0);
        }
        if (label == null || label.isEmpty()) {
            return;
        }
        double scale = Math.max(0.4, thick * 0.45);
        int[] baseline = new int[1];
        Size ts = getTextSize(label, FONT_HERSHEY_SIMPLEX, scale, thick, baseline);
        int x = Math.round(face.x1());
        int y = Math.max(ts.height() + 4, Math.round(face.y1()) - 4);
        rectangle(
                bgr,
                new Point(x, y - ts.height() - 4),
                new Point(x + ts.width() + 4, y + baseline[0]),
                colour,
                FILLED,
                LINE_AA,
                0);
        putText(
                bgr,
                label,
                new Point(x + 2, y - 2),
                FONT_HERSHEY_SIMPLEX,
                scale,
                new Scalar(255, 255, 255, 0),
                thick,
                LINE_AA,
                false);
    }
}
