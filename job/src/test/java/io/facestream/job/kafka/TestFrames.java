package io.facestream.job.kafka;

import io.facestream.flink.source.VideoSource;
import io.facestream.flink.source.VideoSourceOptions;
import io.facestream.job.JobTestSupportAccess;
import io.facestream.schema.Box;
import io.facestream.schema.DeadLetter;
import io.facestream.schema.FaceIdentity;
import io.facestream.schema.Frame;
import io.facestream.schema.FrameEncoding;
import io.facestream.schema.MatchStatus;
import io.facestream.schema.Point;
import io.facestream.schema.internal.SourceRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.formats.avro.AvroSerializationSchema;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Real frames (a JPEG photo from the shared data) and Avro bytes for the Kafka tests. */
public final class TestFrames {
    static final Path DATA =
            Path.of(System.getProperty("facestream.project.root", "..")).resolve("../shared/data");

    /** A real JPEG: 62 KB, so frames stay well under Kafka's 1 MB default record limit. */
    static final byte[] JPEG = read(DATA.resolve("friends/scenes/Friends1.jpg"));

    /**
     * Event time of sequence 0: now, not a fixed date. The Kafka sinks stamp output records with
     * the frame's event time, and the broker's retention check deletes records older than its
     * retention (7 days) within seconds of starting, committed or not.
     */
    public static final long BASE_MS = System.currentTimeMillis() / 1000 * 1000;

    private TestFrames() {}

    /**
     * The first {@code n} frames of the sample clip, as the video source makes them, dated from
     * {@link #BASE_MS} rather than from 1970 (the file source's default base): the sinks stamp
     * Kafka records with the frame's event time, and the broker's first retention check (30 s after
     * it starts) deletes records older than 7 days, committed or not; a slow run once lost 15
     * committed annotated frames that way. Cameras publishing to Kafka stamp frames with the time.
     */
    public static List<Frame> clip(int n) throws Exception {
        Configuration c = new Configuration();
        c.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(c);
        env.setParallelism(1);
        List<Frame> frames = new ArrayList<>();
        for (SourceRecord r :
                env.fromSource(
                                VideoSource.builder()
                                        .addFile(JobTestSupportAccess.CLIP, "hamilton")
                                        .options(
                                                VideoSourceOptions.builder()
                                                        .baseTimestampMs(BASE_MS)
                                                        .build())
                                        .build(),
                                WatermarkStrategy.<SourceRecord>noWatermarks(),
                                "clip")
                        .executeAndCollect(n)) {
            frames.add(r.getFrame());
        }
        return frames;
    }

    public static Frame frame(String camera, long sequence, int width, byte[] data) {
        return Frame.newBuilder()
                .setCameraId(camera)
                .setSequence(sequence)
                .setTimestamp(Instant.ofEpochMilli(BASE_MS + sequence * 40))
                .setWidth(width)
                .setHeight(480)
                .setEncoding(FrameEncoding.JPEG)
                .setData(ByteBuffer.wrap(data))
                .build();
    }

    static Frame frame(String camera, long sequence) {
        return frame(camera, sequence, 640, JPEG);
    }

    /** Avro binary, exactly what the job's producers and sinks write. */
    @SuppressWarnings("unchecked")
    static <T extends SpecificRecord> byte[] avro(T record) {
        return AvroSerializationSchema.forSpecific((Class<T>) record.getClass()).serialize(record);
    }

    static <T extends SpecificRecord> T read(Class<T> type, byte[] bytes) {
        try {
            return new SpecificDatumReader<>(type)
                    .read(null, DecoderFactory.get().binaryDecoder(bytes, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static DeadLetter someDeadLetter() {
        return DeadLetter.newBuilder()
                .setSource("elsewhere/0/7")
                .setStage("decode")
                .setErrorClass("java.lang.IllegalStateException")
                .setErrorMessage("an unrelated record on the wrong topic")
                .setTimestamp(Instant.ofEpochMilli(BASE_MS))
                .build();
    }

    /** A minimal identity record for a frame: every required field, no real detection. */
    public static FaceIdentity identityOf(Frame f) {
        Instant now = Instant.now();
        return FaceIdentity.newBuilder()
                .setCameraId(f.getCameraId())
                .setFrameSequence(f.getSequence())
                .setTimestamp(f.getTimestamp())
                .setFaceIndex(0)
                .setFacesInFrame(1)
                .setBox(new Box(1f, 2f, 3f, 4f))
                .setLandmarks(Collections.nCopies(5, new Point(2f, 3f)))
                .setDetectionScore(0.9f)
                .setStatus(MatchStatus.UNKNOWN)
                .setCandidates(List.of())
                .setDetectorModel("none")
                .setEmbedderModel("none")
                .setIngestTime(now)
                .setEmitTime(now)
                .build();
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException("test photo missing: " + p.toAbsolutePath(), e);
        }
    }
}
