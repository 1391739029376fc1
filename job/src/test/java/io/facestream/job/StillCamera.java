package io.facestream.job;

import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;

import java.io.IOException;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;

/** A camera that looks at a still photo: the photo repeated as the frames of a short video. */
final class StillCamera {
    private StillCamera() {}

    /** {@code frames} copies of {@code photo} at 25 fps as an MPEG-4 file in {@code dir}. */
    static Path video(Path photo, int frames, Path dir) throws IOException {
        Path out = dir.resolve(photo.getFileName() + ".mp4");
        try (Mat read = imread(photo.toString());
                Mat img = new Mat();
                OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat()) {
            if (read.empty()) {
                throw new IOException("cannot read " + photo);
            }
            // 4:2:0 video needs even sides: pad by one pixel where a side is odd.
            opencv_core.copyMakeBorder(
                    read,
                    img,
                    0,
                    read.rows() % 2,
                    0,
                    read.cols() % 2,
                    opencv_core.BORDER_REPLICATE);
            try (FFmpegFrameRecorder rec =
                    new FFmpegFrameRecorder(out.toFile(), img.cols(), img.rows(), 0)) {
                rec.setFormat("mp4");
                rec.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
                rec.setVideoBitrate(4_000_000);
                rec.setFrameRate(25);
                rec.start();
                for (int i = 0; i < frames; i++) {
                    rec.record(conv.convert(img));
                }
                rec.stop();
            }
        }
        return out;
    }
}
