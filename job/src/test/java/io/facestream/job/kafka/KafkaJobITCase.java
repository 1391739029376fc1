package io.facestream.job.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.facestream.job.JobConfig;
import io.facestream.job.JobTestSupportAccess;
import io.facestream.schema.DeadLetter;
import io.facestream.schema.FaceIdentity;
import io.facestream.schema.Frame;
import io.facestream.schema.FrameEncoding;
import io.facestream.testing.EmbeddedKafka;
import io.facestream.testing.LocalRedis;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The production wiring end to end: the sample clip's frames published to a real KRaft broker as
 * Avro {@code Frame}s (plus bad records), the job on a MiniCluster at parallelism 2 reading them
 * with its Kafka source, a real Redis 8 gallery, and the identity, annotated-frame and dead-letter
 * topics read back with {@code read_committed}.
 */
class KafkaJobITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = JobTestSupportAccess.miniCluster();

    static EmbeddedKafka kafka;
    static LocalRedis redis;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start();
        redis = LocalRedis.start();
        JobTestSupportAccess.enrolPeople(redis.url(), "people");
        // Two partitions: all frames share one key, so the other partition stays idle.
        for (String t : List.of("frames", "identities", "annotated-frames", "dead-letters")) {
            kafka.createTopic(t, 2);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        redis.close();
        kafka.close();
    }

    @Test
    void identifiesTheClipFromKafkaExactlyOnce() throws Exception {
        List<Frame> frames = TestFrames.clip(275);
        assertThat(frames).hasSize(275);
        List<Map.Entry<byte[], byte[]>> records = new ArrayList<>();
        byte[] key = "hamilton".getBytes(StandardCharsets.UTF_8);
        for (Frame f : frames) {
            records.add(Map.entry(key, TestFrames.avro(f)));
        }
        // Bad input among the good: bytes that are no Avro, a Frame whose JPEG is cut, a 1x1 frame.
        byte[] jpeg = io.facestream.flink.Frames.bytes(frames.get(100).getData());
        records.add(Map.entry(key, "not avro at all".getBytes(StandardCharsets.UTF_8)));
        records.add(
                Map.entry(
                        key,
                        TestFrames.avro(
                                Frame.newBuilder(frames.get(100))
                                        .setSequence(10_000)
                                        .setData(
                                                ByteBuffer.wrap(
                                                        Arrays.copyOf(jpeg, jpeg.length / 2)))
                                        .build())));
        records.add(
                Map.entry(
                        key,
                        TestFrames.avro(
                                Frame.newBuilder()
                                        .setCameraId("hamilton")
                                        .setSequence(10_001)
                                        .setTimestamp(
                                                Instant.ofEpochMilli(TestFrames.BASE_MS + 9_000))
                                        .setWidth(1)
                                        .setHeight(1)
                                        .setEncoding(FrameEncoding.BGR24)
                                        .setData(ByteBuffer.wrap(new byte[] {1, 2, 3}))
                                        .build())));
        kafka.produce("frames", records);

        JobConfig cfg =
                JobConfig.load(
                        null,
                        List.of(
                                "kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                                "kafka.starting-offsets=EARLIEST",
                                "kafka.bounded=true",
                                "kafka.transactional-id-prefix=kafka-job-it",
                                "redis.url=" + redis.url(),
                                "gallery.name=people",
                                "parallelism=2",
                                "checkpoint.interval=2s"));
        JobTopics.runToEnd(cfg, "kafka-job-it");

        JobTopics.ClipOutputs out = JobTopics.readClip(kafka, "kafka");
        List<DeadLetter> dead =
                JobTopics.read(kafka, "dead-letters", 3, JobTopics.avro(DeadLetter.class));
        dead.forEach(
                d ->
                        System.out.println(
                                "dead letter: "
                                        + d.getStage()
                                        + " "
                                        + d.getSource()
                                        + ": "
                                        + d.getErrorMessage()));

        JobTopics.assertClip(out);
        assertThat(out.ids().stream().mapToLong(FaceIdentity::getFrameSequence).max().orElseThrow())
                .isLessThan(275);
        assertThat(dead).hasSize(3);
        assertThat(dead)
                .extracting(DeadLetter::getStage)
                .containsExactlyInAnyOrder("parse", "decode", "decode");
        assertThat(dead).anyMatch(d -> d.getErrorMessage().contains("truncated JPEG"));
        assertThat(dead)
                .anyMatch(d -> d.getErrorMessage().contains("frame of 1x1 px is too small"));
    }
}
