package io.facestream.flink;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import io.facestream.decode.ImageDecodeException;
import io.facestream.decode.ImageDecoder;
import io.facestream.schema.Frame;
import io.facestream.schema.FrameEncoding;
import java.nio.ByteBuffer;
import org.bytedeco.opencv.opencv_core.Mat;

/** Turns a {@link Frame}'s bytes into an 8-bit BGR image, whatever its encoding. */
public final class Frames {
    private Frames() {}

    /** A new Mat the caller closes; {@link ImageDecodeException} for bytes that are no image. */
    public static Mat decode(Frame frame, ImageDecoder decoder, String source) {
        byte[] bytes = bytes(frame.getData());
        if (frame.getEncoding() == FrameEncoding.BGR24) {
            long expected = 3L * frame.getWidth() * frame.getHeight();
            if (frame.getWidth() <= 0 || frame.getHeight() <= 0 || bytes.length != expected) {
                throw new ImageDecodeException(
                        source,
                        "BGR24 frame of "
                                + frame.getWidth()
                                + "x"
                                + frame.getHeight()
                                + " needs "
                                + expected
                                + " bytes, has "
                                + bytes.length);
            }
            Mat m = new Mat(frame.getHeight(), frame.getWidth(), CV_8UC3);
            m.data().put(bytes);
            return m;
        }
        return decoder.decode(bytes, source);
    }

    public static byte[] bytes(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }

    /** Where a frame came from, for dead letters: its URI, else camera and sequence. */
    public static String source(Frame f) {
        return f.getSourceUri() != null
                ? f.getSourceUri() + "#" + f.getSequence()
                : "camera " + f.getCameraId() + " frame " + f.getSequence();
    }

    /** Wraps a Mat's pixels (8-bit BGR rows) as a byte array copy. */
    public static byte[] pixels(Mat m) {
        byte[] out = new byte[(int) (m.total() * m.channels())];
        m.data().get(out);
        return out;
    }

    /** A Mat view over BGR bytes of a square crop; the caller closes it. */
    public static Mat crop(byte[] pixels, int size) {
        Mat m = new Mat(size, size, CV_8UC3);
        m.data().put(pixels);
        return m;
    }
}
