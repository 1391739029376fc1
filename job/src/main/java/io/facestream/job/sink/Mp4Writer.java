package io.facestream.job.sink;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * One H.264 MP4 file written with FFmpeg, frame by frame in the order given. The recorder starts
 * with the first frame, whose size (rounded down to even, as yuv420p needs) fixes the video's;
 * FFmpeg scales later frames of another size to it. Written as fragmented MP4 (a fragment per
 * keyframe, every 12 frames), so it is playable up to its last fragment even if the process dies
 * before {@link #close()}. Not thread-safe.
 */
public final class Mp4Writer implements Closeable {
    private final Path file;
    private final double fps;
    private final OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat();
    private FFmpegFrameRecorder recorder;
    private long frames;

    public Mp4Writer(Path file, double fps) {
        if (!(fps > 0)) {
            throw new IllegalArgumentException("MP4 frame rate must be > 0, got " + fps);
        }
        this.file = file;
        this.fps = fps;
        // FFmpeg prints every stream's metadata at INFO; keep errors only.
        org.bytedeco.ffmpeg.global.avutil.av_log_set_level(
                org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR);
    }

    /** Appends {@code img} (BGR) as the next frame. */
    public void write(Mat img) throws IOException {
        try {
            if (recorder == null) {
                recorder = new FFmpegFrameRecorder(file.toFile(), img.cols() & ~1, img.rows() & ~1);
                recorder.setFormat("mp4");
                recorder.setVideoCodec(AV_CODEC_ID_H264);
                recorder.setPixelFormat(AV_PIX_FMT_YUV420P);
                recorder.setFrameRate(fps);
                // Fragmented MP4: the index travels with each fragment, so a file cut short (a
                // kill, a crash, a full disk) still plays up to its last fragment; a clean close
                // ends it like any other MP4.
                recorder.setOption("movflags", "frag_keyframe+empty_moov+default_base_moof");
                recorder.start();
            }
            recorder.record(converter.convert(img));
            frames++;
        } catch (FFmpegFrameRecorder.Exception e) {
            throw new IOException("cannot write the MP4 " + file + ": " + e.getMessage(), e);
        }
    }

    /** Frames written so far. */
    public long frames() {
        return frames;
    }

    @Override
    public void close() throws IOException {
        if (recorder != null) {
            try {
                recorder.close();
            } catch (FFmpegFrameRecorder.Exception e) {
                throw new IOException("cannot finish the MP4 " + file + ": " + e.getMessage(), e);
            } finally {
                recorder = null;
            }
        }
    }
}
