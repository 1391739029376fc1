package io.facestream.job.sink;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import io.facestream.decode.ImageDecoder;
import io.facestream.flink.Frames;
import io.facestream.schema.AnnotatedFrame;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Writes annotated frames into one H.264 MP4 per camera ({@code <dir>/<camera>.mp4}) with FFmpeg.
 * Frames arrive out of order (faces finish at different times), so each camera keeps a reorder
 * window of {@code window} frames and writes the oldest in sequence order; the rest is written at
 * the end of input. Parallelism 1; a local output for the demo and replay.
 */
public final class Mp4Sink implements Sink<AnnotatedFrame> {
    private final String dir;
    private final double fps;
    private final int window;

    public Mp4Sink(Path dir, double fps, int window) {
        this.dir = dir.toAbsolutePath().toString();
        this.fps = fps;
        this.window = window;
    }

    @Override
    public SinkWriter<AnnotatedFrame> createWriter(WriterInitContext context) throws IOException {
        Files.createDirectories(Path.of(dir));
        // FFmpeg prints every stream's metadata at INFO; keep errors only.
        org.bytedeco.ffmpeg.global.avutil.av_log_set_level(
                org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR);
        return new Writer();
    }

    private final class Writer implements SinkWriter<AnnotatedFrame> {
        private final Map<String, TreeMap<Long, byte[]>> pending = new HashMap<>();
        private final Map<String, FFmpegFrameRecorder> recorders = new HashMap<>();
        private final OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat();
        private final ImageDecoder decoder = new ImageDecoder();

        @Override
        public void write(AnnotatedFrame f, Context ctx) throws IOException {
            TreeMap<Long, byte[]> q =
                    pending.computeIfAbsent(f.getCameraId(), c -> new TreeMap<>());
            q.put(f.getSequence(), Frames.bytes(f.getJpeg()));
            while (q.size() > window) {
                record(f.getCameraId(), q.pollFirstEntry().getValue());
            }
        }

        private void record(String camera, byte[] jpeg) throws IOException {
            try (Mat img = decoder.decode(jpeg, camera)) {
                FFmpegFrameRecorder r = recorders.get(camera);
                if (r == null) {
                    String name = camera.replaceAll("[^A-Za-z0-9._-]", "_") + ".mp4";
                    // H.264 with yuv420p needs even dimensions.
                    r =
                            new FFmpegFrameRecorder(
                                    Path.of(dir, name).toFile(), img.cols() & ~1, img.rows() & ~1);
                    r.setFormat("mp4");
                    r.setVideoCodec(AV_CODEC_ID_H264);
                    r.setPixelFormat(AV_PIX_FMT_YUV420P);
                    r.setFrameRate(fps);
                    r.start();
                    recorders.put(camera, r);
                }
                r.record(converter.convert(img));
            } catch (FFmpegFrameRecorder.Exception e) {
                throw new IOException(
                        "cannot write the MP4 of camera " + camera + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            if (endOfInput) {
                for (var e : pending.entrySet()) {
                    for (byte[] jpeg : e.getValue().values()) {
                        record(e.getKey(), jpeg);
                    }
                    e.getValue().clear();
                }
            }
        }

        @Override
        public void close() throws IOException {
            flush(true);
            for (FFmpegFrameRecorder r : recorders.values()) {
                r.close();
            }
            recorders.clear();
        }
    }
}
