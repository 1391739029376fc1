package io.facestream.job.kafka;

import static io.facestream.job.kafka.TestFrames.avro;
import static io.facestream.job.kafka.TestFrames.frame;
import static org.assertj.core.api.Assertions.assertThat;

import io.facestream.schema.DeadLetter;
import io.facestream.schema.FaceIdentity;
import io.facestream.schema.Frame;
import io.facestream.testing.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Frames and garbage on a real broker, through a real MiniCluster (parallelism 2, checkpoints every
 * 500 ms) with the production source, parser and exactly-once sinks; read back with {@code
 * read_committed}.
 */
class KafkaRoundTripITCase {
    static final Duration CHECKPOINT_INTERVAL = Duration.ofMillis(500);

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    static EmbeddedKafka kafka;

    @BeforeAll
    static void startKafka() {
        long t0 = System.nanoTime();
        kafka = EmbeddedKafka.start();
        System.out.printf(
                "embedded Kafka up at %s in %d ms%n",
                kafka.bootstrapServers(), (System.nanoTime() - t0) / 1_000_000);
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void everyFrameBecomesOneCommittedIdentityAndEveryBadRecordOneDeadLetter() throws Exception {
        KafkaOptions options =
                KafkaOptions.builder()
                        .bootstrapServers(kafka.bootstrapServers())
                        .framesTopic("rt-frames")
                        .identitiesTopic("rt-identities")
                        .deadLettersTopic("rt-dead-letters")
                        .groupId("rt")
                        .transactionalIdPrefix("rt")
                        .startingOffsets(KafkaOptions.StartingOffsets.EARLIEST)
                        .bounded(true)
                        .checkpointInterval(CHECKPOINT_INTERVAL)
                        .build();
        kafka.createTopic(options.framesTopic(), 2);
        kafka.createTopic(options.identitiesTopic(), 2);
        kafka.createTopic(options.deadLettersTopic(), 1);

        List<Frame> frames = new ArrayList<>();
        List<Map.Entry<byte[], byte[]>> records = new ArrayList<>();
        List<Boolean> bad = new ArrayList<>();
        List<byte[]> garbage = garbage();
        for (int i = 0; i < 12; i++) {
            Frame f = frame("cam-" + (i % 3), i / 3);
            frames.add(f);
            records.add(new SimpleEntry<>(utf8(f.getCameraId()), avro(f)));
            bad.add(false);
            if (i % 2 == 1 && i / 2 < garbage.size()) {
                records.add(new SimpleEntry<>(utf8("cam-x"), garbage.get(i / 2)));
                bad.add(true);
            }
        }
        List<RecordMetadata> sent = kafka.produce(options.framesTopic(), records);
        Set<String> badSources = new HashSet<>();
        for (int i = 0; i < sent.size(); i++) {
            if (bad.get(i)) {
                RecordMetadata m = sent.get(i);
                badSources.add(m.topic() + "/" + m.partition() + "/" + m.offset());
            }
        }
        assertThat(badSources).hasSize(garbage.size());

        long t0 = System.nanoTime();
        runJob(options);
        System.out.printf("job ran in %d ms%n", (System.nanoTime() - t0) / 1_000_000);

        List<ConsumerRecord<byte[], byte[]>> identities =
                kafka.consumeCommitted(
                        options.identitiesTopic(), frames.size(), Duration.ofSeconds(30));
        assertThat(identities).hasSize(frames.size());
        for (ConsumerRecord<byte[], byte[]> r : identities) {
            FaceIdentity id = TestFrames.read(FaceIdentity.class, r.value());
            assertThat(new String(r.key(), StandardCharsets.UTF_8))
                    .isEqualTo(id.getCameraId().toString());
        }
        assertThat(
                        identities.stream()
                                .map(r -> TestFrames.read(FaceIdentity.class, r.value()))
                                .map(id -> id.getCameraId() + "#" + id.getFrameSequence())
                                .collect(Collectors.toList()))
                .containsExactlyInAnyOrderElementsOf(
                        frames.stream().map(f -> f.getCameraId() + "#" + f.getSequence()).toList());

        List<DeadLetter> deadLetters =
                kafka
                        .consumeCommitted(
                                options.deadLettersTopic(), garbage.size(), Duration.ofSeconds(30))
                        .stream()
                        .map(r -> TestFrames.read(DeadLetter.class, r.value()))
                        .toList();
        deadLetters.forEach(
                d -> System.out.printf("dead letter %s: %s%n", d.getSource(), d.getErrorMessage()));
        assertThat(deadLetters)
                .extracting(d -> d.getSource().toString())
                .containsExactlyInAnyOrderElementsOf(badSources);
        assertThat(deadLetters).allMatch(d -> d.getStage().toString().equals("parse"));
        // Both sinks wrote in Kafka transactions, each under its own prefix.
        assertThat(kafka.transactionalIds())
                .anyMatch(id -> id.startsWith("rt-identities-"))
                .anyMatch(id -> id.startsWith("rt-dead-letters-"));
    }

    /** The production pieces: source → parser → (stand-in for the pipeline) → sinks. */
    static void runJob(KafkaOptions options) throws Exception {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, CHECKPOINT_INTERVAL);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        SingleOutputStreamOperator<Frame> frames =
                env.fromSource(
                                KafkaSources.frames(options),
                                WatermarkStrategy.noWatermarks(),
                                "frames")
                        .uid("frames-source")
                        .process(new FrameParser())
                        .name("parse-frames")
                        .uid("parse-frames");
        frames.map(TestFrames::identityOf)
                .returns(new AvroTypeInfo<>(FaceIdentity.class))
                .name("identify")
                .uid("identify")
                .sinkTo(KafkaSinks.identities(options))
                .name("identities-sink")
                .uid("identities-sink");
        frames.getSideOutput(FrameParser.DEAD_LETTERS)
                .sinkTo(KafkaSinks.deadLetters(options))
                .name("dead-letters-sink")
                .uid("dead-letters-sink");
        env.execute("kafka round trip");
    }

    /** Random bytes, text, a tombstone, an Avro record of another schema, a 0-px-wide frame. */
    static List<byte[]> garbage() {
        byte[] noise = new byte[500];
        new Random(7).nextBytes(noise);
        return Arrays.asList(
                noise,
                utf8("{\"cameraId\": \"cam-1\"}"),
                null,
                avro(TestFrames.someDeadLetter()),
                avro(frame("cam-0", 99, 0, TestFrames.JPEG)));
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
