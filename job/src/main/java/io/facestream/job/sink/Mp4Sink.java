package io.facestream.job.sink;

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
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Writes annotated frames into one H.264 MP4 per camera ({@code <dir>/<camera>.mp4}) with FFmpeg.
 * Frames arrive out of order (faces finish at different times), so each camera keeps a reorder
 * window of {@code window} frames and writes the oldest in sequence order; the rest is written at
 * the end of input. Parallelism 1; a local output for the demo and replay. Not restored: after a
 * restore from a checkpoint each camera's MP4 starts anew from the restored frame, so the frames
 * before it are gone from the file (an MP4 cannot be cut back and appended to); the Kafka
 * annotated-frames topic is the output that survives failures exactly once.
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
        return new Writer();
    }

    private final class Writer implements SinkWriter<AnnotatedFrame> {
        private final Map<String, TreeMap<Long, byte[]>> pending = new HashMap<>();
        private final Map<String, Mp4Writer> writers = new HashMap<>();
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
                Mp4Writer w = writers.get(camera);
                if (w == null) {
                    String name = camera.replaceAll("[^A-Za-z0-9._-]", "_") + ".mp4";
                    w = new Mp4Writer(Path.of(dir, name), fps);
                    writers.put(camera, w);
                }
                w.write(img);
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
            for (Mp4Writer w : writers.values()) {
                w.close();
            }
            writers.clear();
        }
    }
}
