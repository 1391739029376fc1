package io.facestream.replay;

import io.facestream.annotate.Jpeg;
import io.facestream.decode.ImageDecoder;
import io.facestream.schema.Box;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;

/**
 * Cuts a face out of a frame's JPEG (replay keeps the undrawn pictures, so no box lines show). The
 * box is padded by {@link #PAD} of its size on each side, so some context shows.
 */
final class Thumbnails {
    static final double PAD = 0.25;
    private static final int QUALITY = 90;

    private Thumbnails() {}

    static byte[] crop(byte[] jpeg, Box box) {
        try (Mat frame = new ImageDecoder().decode(jpeg, "frame")) {
            double w = box.getX2() - box.getX1();
            double h = box.getY2() - box.getY1();
            int x1 = clamp(box.getX1() - PAD * w, frame.cols());
            int y1 = clamp(box.getY1() - PAD * h, frame.rows());
            int x2 = clamp(box.getX2() + PAD * w, frame.cols());
            int y2 = clamp(box.getY2() + PAD * h, frame.rows());
            if (x2 - x1 < 2 || y2 - y1 < 2) {
                return Jpeg.encode(frame, QUALITY);
            }
            try (Rect r = new Rect(x1, y1, x2 - x1, y2 - y1);
                    Mat roi = new Mat(frame, r);
                    Mat face = roi.clone()) {
                return Jpeg.encode(face, QUALITY);
            }
        }
    }

    private static int clamp(double v, int max) {
        return (int) Math.max(0, Math.min(max, Math.round(v)));
    }
}
