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
 * Frames for the benchmark's job: record {@code i} is sequence {@code i / cameras} of camera {@code
 * cam-(i % cameras)}, stamped with the wall clock when generated (or, paced, with its due time: see
 * {@link #FrameGenerator(Path, int, int, int, boolean, double)}), so a frame's latency is its
 * identity's emit time minus its timestamp. Its picture is a clip frame in a fixed shuffled order
 * (sequence x {@link #STRIDE} modulo the clip's length), so every second of input carries the
 * clip's average face count instead of swinging with the clip's crowded end (five faces a frame,
 * against two at the start); for the tracker every shuffled frame is a shot cut, a worst case. With
 * {@code clipOrder} the pictures follow the clip as recorded (what tracking is measured on). Either
 * way a camera's sequences are generated in order; the bench runs the generator with one reader,
 * since a generator with several hands each a contiguous, far-apart range of indices (one camera's
 * frames would then come from several places at once, which no camera does). The JPEGs come from a
 * file the bench writes ({@link #write}), read once per reader.
 */
public final class FrameGenerator implements GeneratorFunction<Long, Frame> {
    /** A prime: coprime with any clip length that is not a multiple of it. */
    static final int STRIDE = 97;

    private final String file;
    private final int cameras;
    private final int width;
    private final int height;
    private final boolean clipOrder;
    private final double perSecond;
    private transient List<byte[]> jpegs;
    // When record 0 was made; set in open() (a transient field's initialiser does not run there).
    private transient long start;

    public FrameGenerator(Path file, int cameras, int width, int height) {
        this(file, cameras, width, height, false);
    }

    /**
     * With {@code clipOrder}, frames follow the clip as recorded (what a tracker needs to see one
     * face from frame to frame) instead of the shuffled order.
     */
    public FrameGenerator(Path file, int cameras, int width, int height, boolean clipOrder) {
        this(file, cameras, width, height, clipOrder, 0);
    }

    /**
     * With {@code perSecond} > 0 the generator paces itself as a camera: record {@code i} is due
     * {@code i / perSecond} after record 0, is not made before then (the source's thread sleeps
     * until it is due, at most one period: a checkpoint barrier waits as long at worst), and is
     * stamped with its due time, its capture time. A record made late (the job backpressured the
     * source) keeps its due time, so the wait counts as latency, as a camera's frame waiting in its
     * socket would; the late records then follow at once.
     *
     * <p>Flink's {@code RateLimiterStrategy.perSecond} (Guava's), used before, stores up to a
     * second of permits while the source is not asking, and records were stamped when made: every
     * paced run began with a burst of about a second of frames (17 in the first 10 ms at 22 fps) in
     * front of detectors making their first, slow inferences, and that backlog took 3-5 s to drain
     * at 80 % load, longer than the 10 % of frames the latency skips; a stall was not counted
     * (records not yet made), but a second of stored permits went out at once after it.
     */
    public FrameGenerator(
            Path file, int cameras, int width, int height, boolean clipOrder, double perSecond) {
        this.file = file.toString();
        this.cameras = cameras;
        this.width = width;
        this.height = height;
        this.clipOrder = clipOrder;
        this.perSecond = perSecond;
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
        start = -1;
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

    /** The clip frame shown at {@code sequence}: a permutation of each pass over the clip. */
    static int picture(long sequence, int clipFrames) {
        if (clipFrames % STRIDE == 0) {
            return (int) (sequence % clipFrames);
        }
        return (int) ((sequence % clipFrames) * STRIDE % clipFrames);
    }

    @Override
    public Frame map(Long i) {
        long seq = i / cameras;
        long now = System.currentTimeMillis();
        if (start < 0) {
            start = now;
        }
        long stamp = now;
        if (perSecond > 0) {
            stamp = start + Math.round(i * 1000.0 / perSecond);
            if (stamp > now) {
                try {
                    Thread.sleep(stamp - now);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        return Frame.newBuilder()
                .setCameraId("cam-" + (i % cameras))
                .setSequence(seq)
                .setTimestamp(Instant.ofEpochMilli(stamp))
                .setWidth(width)
                .setHeight(height)
                .setEncoding(FrameEncoding.JPEG)
                .setData(
                        ByteBuffer.wrap(
                                jpegs.get(
                                        clipOrder
                                                ? (int) (seq % jpegs.size())
                                                : picture(seq, jpegs.size()))))
                .setSourceUri(null)
                .build();
    }
}
