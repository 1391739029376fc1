package io.facestream.decode;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Decodes still images (JPEG, PNG including 16-bit, RGBA and grey, BMP, and whatever else OpenCV
 * reads) into 8-bit 3-channel BGR, OpenCV's order, which every facestream stage takes.
 *
 * <p>Rejects, with an {@link ImageDecodeException}: empty input, bytes no codec recognises, JPEGs
 * and PNGs cut short (decoders would otherwise return a silently grey-filled image), and images
 * whose header declares more than {@code maxPixels} pixels (decompression bombs), checked before
 * any pixel is decoded: through ImageIO for JPEG, PNG, BMP, GIF and TIFF, and by {@code
 * ImageHeaders} for Netpbm (PPM, PGM, PBM, PAM, PFM), WebP, Sun raster and Radiance HDR, which
 * ImageIO cannot read but OpenCV decodes up to its own far larger limit.
 */
public final class ImageDecoder {
    public static final long DEFAULT_MAX_PIXELS = 100_000_000L;

    private final long maxPixels;

    public ImageDecoder() {
        this(DEFAULT_MAX_PIXELS);
    }

    public ImageDecoder(long maxPixels) {
        this.maxPixels = maxPixels;
    }

    public Mat decode(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ImageDecodeException(file.toString(), "cannot read file: " + e, e);
        }
        return decode(bytes, file.toString());
    }

    /** The image as a new 8-bit BGR Mat; the caller closes it. */
    public Mat decode(byte[] bytes, String source) {
        if (bytes == null || bytes.length == 0) {
            throw new ImageDecodeException(source, "empty input (0 bytes)");
        }
        checkComplete(bytes, source);
        checkDeclaredSize(bytes, source);
        Mat img;
        try (BytePointer ptr = new BytePointer(bytes);
                Mat raw =
                        new Mat(
                                1,
                                bytes.length,
                                org.bytedeco.opencv.global.opencv_core.CV_8UC1,
                                ptr)) {
            // IMREAD_COLOR converts grey, RGBA and 16-bit inputs to 8-bit BGR.
            img = imdecode(raw, IMREAD_COLOR);
        }
        if (img == null || img.empty()) {
            throw new ImageDecodeException(
                    source,
                    "not a decodable image (unknown format or corrupt data; first bytes "
                            + hexPrefix(bytes)
                            + ")");
        }
        return img;
    }

    private static void checkComplete(byte[] b, String source) {
        if (b.length >= 2 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8) {
            if (!jpegHasEndOfImage(b)) {
                throw new ImageDecodeException(source, "truncated JPEG: no end-of-image marker");
            }
        } else if (b.length >= 8
                && (b[0] & 0xff) == 0x89
                && b[1] == 'P'
                && b[2] == 'N'
                && b[3] == 'G') {
            // A PNG's last chunk is IEND: 4 length bytes, "IEND", 4 CRC bytes.
            if (b.length < 12
                    || b[b.length - 8] != 'I'
                    || b[b.length - 7] != 'E'
                    || b[b.length - 6] != 'N'
                    || b[b.length - 5] != 'D') {
                throw new ImageDecodeException(source, "truncated PNG: no IEND chunk");
            }
        }
    }

    /**
     * True when the JPEG has an EOI marker (FF D9) after its first scan. Data may follow it: phone
     * "motion photos" and multi-picture files append a video or more images after the EOI, so the
     * last bytes prove nothing. The segments before the scan are skipped by their lengths because
     * an EXIF thumbnail there has an EOI of its own.
     */
    private static boolean jpegHasEndOfImage(byte[] b) {
        int i = 2;
        while (i + 3 < b.length) {
            if ((b[i] & 0xff) != 0xFF) {
                return true; // not the structure expected: OpenCV gives the verdict
            }
            int marker = b[i + 1] & 0xff;
            if (marker == 0xFF) {
                i++; // fill byte before a marker
                continue;
            }
            if (marker == 0xD9) {
                return true; // an image with no scan: OpenCV gives the verdict
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                i += 2; // markers without a length
                continue;
            }
            i += 2 + (((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff));
            if (marker == 0xDA) {
                // Entropy-coded data stuffs every FF with 00, so FF D9 only appears as EOI.
                for (int j = i; j + 1 < b.length; j++) {
                    if ((b[j] & 0xff) == 0xFF && (b[j + 1] & 0xff) == 0xD9) {
                        return true;
                    }
                }
                return false;
            }
        }
        return false;
    }

    private void checkDeclaredSize(byte[] bytes, String source) {
        long[] size = ImageHeaders.declaredSize(bytes, source);
        if (size != null) {
            checkPixels(size[0], size[1], source);
            return;
        }
        // A memory-backed stream: ImageIO's default caches every stream in a temporary file.
        try (ImageInputStream in =
                new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return; // not a format the JDK knows; OpenCV's own pixel limit still applies
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                checkPixels(reader.getWidth(0), reader.getHeight(0), source);
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            // An unreadable header is left to OpenCV, which gives the definitive answer.
        }
    }

    private void checkPixels(long w, long h, String source) {
        if (w * h > maxPixels) {
            throw new ImageDecodeException(
                    source,
                    "image declares "
                            + w
                            + "x"
                            + h
                            + " pixels, more than the limit of "
                            + maxPixels
                            + " (decode.max-pixels)");
        }
    }

    private static String hexPrefix(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(8, b.length); i++) {
            sb.append(String.format("%02x", b[i]));
        }
        return sb.toString();
    }
}
