package io.facestream.detect;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.copyMakeBorder;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import io.facestream.model.ModelSpec;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * How an image is fitted into a detector's input: scale (aspect kept) and zero padding. A point in
 * the network input maps back with {@code x = (x_in - padX) / scale}.
 *
 * <p>Modes (manifest {@code input.resize}): {@code letterbox-centre} scales to fit and pads evenly;
 * {@code letterbox-topleft} scales to fit and pads right and bottom; {@code downscale-pad32} only
 * shrinks (YuNet was trained on 10–300 px faces, so small images are padded, never upscaled) and
 * pads right/bottom to multiples of 32; {@code fit-pad32} scales exactly as {@code
 * letterbox-centre} (the long side fits {@code width}×{@code height}) but pads, evenly on both
 * sides, only up to the next multiple of 32 (the detector's largest stride) instead of up to the
 * whole square, so a 640×360 frame becomes a 640×384 input, not 640×640 (the model must take any
 * input size: see {@code DynamicImageSize}). Padding evenly keeps the image where {@code
 * letterbox-centre} puts it relative to the stride-32 grid whenever the two paddings differ by a
 * multiple of 32 (16:9 into 640: 12 px vs 140 px), so the priors sit on the same image points.
 */
public record Letterbox(
        float scale,
        int padX,
        int padY,
        int inputWidth,
        int inputHeight,
        int scaledWidth,
        int scaledHeight) {

    public static Letterbox plan(int width, int height, ModelSpec.InputSpec spec) {
        int tw = spec.width();
        int th = spec.height();
        float fit = Math.min(tw / (float) width, th / (float) height);
        switch (spec.resize()) {
            case "letterbox-centre" -> {
                int sw = Math.max(1, Math.round(width * fit));
                int sh = Math.max(1, Math.round(height * fit));
                return new Letterbox(fit, (tw - sw) / 2, (th - sh) / 2, tw, th, sw, sh);
            }
            case "letterbox-topleft" -> {
                int sw = Math.max(1, Math.round(width * fit));
                int sh = Math.max(1, Math.round(height * fit));
                return new Letterbox(fit, 0, 0, tw, th, sw, sh);
            }
            case "fit-pad32" -> {
                int sw = Math.max(1, Math.round(width * fit));
                int sh = Math.max(1, Math.round(height * fit));
                int iw = roundUp32(sw);
                int ih = roundUp32(sh);
                return new Letterbox(fit, (iw - sw) / 2, (ih - sh) / 2, iw, ih, sw, sh);
            }
            case "downscale-pad32" -> {
                float s = Math.min(1f, fit);
                int sw = Math.max(1, Math.round(width * s));
                int sh = Math.max(1, Math.round(height * s));
                return new Letterbox(s, 0, 0, roundUp32(sw), roundUp32(sh), sw, sh);
            }
            default -> throw new IllegalArgumentException("unknown resize mode " + spec.resize());
        }
    }

    private static int roundUp32(int v) {
        return (v + 31) / 32 * 32;
    }

    /** The image scaled and padded to the network input size (8-bit BGR, zero padding). */
    public Mat apply(Mat bgr) {
        Mat scaled = new Mat();
        int interp = scale < 1f ? INTER_AREA : INTER_LINEAR;
        resize(bgr, scaled, new Size(scaledWidth, scaledHeight), 0, 0, interp);
        if (scaledWidth == inputWidth && scaledHeight == inputHeight) {
            return scaled;
        }
        Mat padded = new Mat();
        try (scaled) {
            copyMakeBorder(
                    scaled,
                    padded,
                    padY,
                    inputHeight - scaledHeight - padY,
                    padX,
                    inputWidth - scaledWidth - padX,
                    BORDER_CONSTANT,
                    Scalar.all(0));
        }
        return padded;
    }

    /** A face found in the network input, in pixels of the original image. */
    public Face undo(Face f) {
        return f.unmap(scale, padX, padY);
    }
}
