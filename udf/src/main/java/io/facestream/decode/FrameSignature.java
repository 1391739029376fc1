package io.facestream.decode;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * A frame's coarse look, for telling a shot cut from motion: the frame in grey, averaged down to
 * {@value #WIDTH}×{@value #HEIGHT} pixels (OpenCV {@code INTER_AREA}), as 8-bit values. Two frames
 * of one shot differ little at this scale even with people moving; a cut to another shot changes
 * most cells.
 */
public final class FrameSignature {
    public static final int WIDTH = 16;
    public static final int HEIGHT = 9;

    private FrameSignature() {}

    /** The signature of a BGR frame. */
    public static byte[] of(Mat bgr) {
        try (Mat grey = new Mat();
                Mat small = new Mat()) {
            cvtColor(bgr, grey, COLOR_BGR2GRAY);
            resize(grey, small, new Size(WIDTH, HEIGHT), 0, 0, INTER_AREA);
            byte[] out = new byte[WIDTH * HEIGHT];
            small.data().get(out);
            return out;
        }
    }

    /**
     * Mean absolute difference of two signatures, in grey levels [0, 255]; higher = less alike.
     * Signatures of different sizes (or a missing one) are as different as can be.
     */
    public static float difference(byte[] a, byte[] b) {
        if (a == null || b == null || a.length != b.length || a.length == 0) {
            return 255f;
        }
        long sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
        }
        return sum / (float) a.length;
    }
}
