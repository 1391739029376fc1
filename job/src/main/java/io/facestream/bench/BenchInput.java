package io.facestream.bench;

import io.facestream.annotate.Jpeg;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * The frames of one video, decoded with FFmpeg and encoded as JPEG at the video source's default
 * quality, so every contender starts from the same bytes the job's source would send on.
 */
public record BenchInput(String name, List<byte[]> jpegs, int width, int height, double fps) {
    /** The first {@code maxFrames} frames of {@code video} (all when {@code <= 0}). */
    public static BenchInput load(Path video, int maxFrames, int jpegQuality) throws Exception {
        List<byte[]> out = new ArrayList<>();
        org.bytedeco.ffmpeg.global.avutil.av_log_set_level(
                org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR);
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(video.toFile());
                OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat()) {
            g.start();
            Frame f;
            while ((maxFrames <= 0 || out.size() < maxFrames) && (f = g.grabImage()) != null) {
                Mat m = conv.convert(f);
                out.add(Jpeg.encode(m, jpegQuality));
            }
            if (out.isEmpty()) {
                throw new IllegalArgumentException("no frames in " + video);
            }
            return new BenchInput(
                    video.getFileName().toString(),
                    List.copyOf(out),
                    g.getImageWidth(),
                    g.getImageHeight(),
                    g.getFrameRate());
        }
    }

    public int frames() {
        return jpegs.size();
    }
}
