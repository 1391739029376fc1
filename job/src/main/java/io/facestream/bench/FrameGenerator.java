package io.facestream.bench;

import io.facestream.schema.Frame;
import io.facestream.schema.FrameEncoding;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * Frames for the benchmark's job: record {@code i} is frame {@code i / cameras} (looping over the
 * clip) of camera {@code cam-(i % cameras)}, stamped with the wall clock when generated, so a
 * frame's latency is its identity's emit time minus its timestamp. The JPEGs come from a file the
 * bench writes ({@link #write}), read once per reader.
 */
public final class FrameGenerator implements GeneratorFunction<Long, Frame> {
    private final String file;
    private final int cameras;
    private final int width;
    private final int height;
    private transient List<byte[]> jpegs;

    public FrameGenerator(Path file, int cameras, int width, int height) {
        this.file = file.toString();
        this.cameras = cameras;
        this.width = width;
        this.height = height;
    }

    /** Writes {@code in}'s JPEGs where a generator can read them. */
    public static void write(BenchInput in, Path file) throws IOException {
        try (DataOutputStream out =
                new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(in.frames());
            for (byte[] j : in.jpegs()) {
                out.writeInt(j.length);
                out.write(j);
            }
        }
    }

    @Override
    public void open(SourceReaderContext readerContext) throws IOException {
        try (DataInputStream in =
                new DataInputStream(new BufferedInputStream(Files.newInputStream(Path.of(file))))) {
            int n = in.readInt();
            jpegs = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                byte[] j = new byte[in.readInt()];
                in.readFully(j);
                jpegs.add(j);
            }
        }
    }

    @Override
    public Frame map(Long i) {
        long seq = i / cameras;
        return Frame.newBuilder()
                .setCameraId("cam-" + (i % cameras))
                .setSequence(seq)
                .setTimestamp(Instant.ofEpochMilli(System.currentTimeMillis()))
                .setWidth(width)
                .setHeight(height)
                .setEncoding(FrameEncoding.JPEG)
                .setData(ByteBuffer.wrap(jpegs.get((int) (seq % jpegs.size()))))
                .setSourceUri(null)
                .build();
    }
}
