package io.facestream.flink.source;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;

import io.facestream.schema.FrameEncoding;
import java.nio.ByteBuffer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Turns a decoded BGR24 frame into {@code Frame.data}: JPEG or PNG through OpenCV's {@code
 * imencode}, or the raw rows (width*3 bytes each, no padding). The grabber reuses its image buffer
 * on the next grab, so the bytes are copied out here. Not thread-safe: one per stream.
 */
final class FrameEncoder {
    private final FrameEncoding encoding;
    private final int jpegQuality;
    private final OpenCVFrameConverter.ToMat toMat = new OpenCVFrameConverter.ToMat();

    FrameEncoder(FrameEncoding encoding, int jpegQuality) {
        this.encoding = encoding;
        this.jpegQuality = jpegQuality;
    }

    FrameEncoding encoding() {
        return encoding;
    }

    byte[] encode(Frame frame) {
        if (frame.imageChannels != 3 || frame.imageDepth != Frame.DEPTH_UBYTE) {
            throw new IllegalStateException(
                    "expected 8-bit BGR from the grabber, got "
                            + frame.imageChannels
                            + " channels of depth "
                            + frame.imageDepth);
        }
        return encoding == FrameEncoding.BGR24 ? rows(frame) : compressed(frame);
    }

    private byte[] compressed(Frame frame) {
        // The Mat wraps the frame's buffer (no copy); only the encoded bytes are copied out.
        Mat mat = toMat.convert(frame);
        String ext = encoding == FrameEncoding.PNG ? ".png" : ".jpg";
        try (BytePointer buf = new BytePointer();
                IntPointer params = new IntPointer(IMWRITE_JPEG_QUALITY, jpegQuality)) {
            if (!imencode(ext, mat, buf, params)) {
                throw new IllegalStateException("OpenCV could not encode the frame as " + ext);
            }
            byte[] bytes = new byte[(int) buf.limit()];
            buf.get(bytes);
            return bytes;
        }
    }

    private static byte[] rows(Frame frame) {
        int rowBytes = frame.imageWidth * 3;
        byte[] out = new byte[rowBytes * frame.imageHeight];
        ByteBuffer src = ((ByteBuffer) frame.image[0]).duplicate();
        // Rows may be padded (stride > width*3); the schema's BGR24 has none.
        for (int y = 0; y < frame.imageHeight; y++) {
            src.position(y * frame.imageStride);
            src.get(out, y * rowBytes, rowBytes);
        }
        return out;
    }
}
