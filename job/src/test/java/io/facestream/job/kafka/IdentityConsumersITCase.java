package io.facestream.job.kafka;

import static io.facestream.examples.consumer.ConsumeIdentities.line;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.facestream.examples.consumer.IdentityConsumer;
import io.facestream.examples.consumer.IdentityDecoder;
import io.facestream.job.JobConfig;
import io.facestream.job.JobTestSupportAccess;
import io.facestream.schema.AnnotatedFrame;
import io.facestream.schema.FaceIdentity;
import io.facestream.testing.EmbeddedKafka;
import io.facestream.testing.LocalRedis;
import io.facestream.testing.LocalSchemaRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The example consumers (docs/consumers.md) on the job's real output: the sample clip, video in →
 * Kafka out on a real broker (2 partitions), in each wire format ({@code confluent} through the
 * real registry). The Java example ({@code examples/java}) and the Python one ({@code
 * examples/python/consume_identities.py} under Debian's {@code /usr/bin/python3}) each read the
 * identity topic read_committed in their own consumer group, and each decodes every identity record
 * the job committed — as many as the faces on the annotated frames — with the same names.
 */
class IdentityConsumersITCase {
    static final int PARALLELISM = 2;

    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(PARALLELISM)
                            .setConfiguration(heap())
                            .build());

    /** Writer schemas by id, fetched once. */
    static final Map<Integer, Schema> WRITERS = new ConcurrentHashMap<>();

    static LocalSchemaRegistry registry;
    static EmbeddedKafka kafka;
    static LocalRedis redis;

    static Configuration heap() {
        Configuration c = new Configuration();
        c.set(TaskManagerOptions.TASK_HEAP_MEMORY, MemorySize.ofMebiBytes(1024));
        return c;
    }

    @BeforeAll
    static void start() throws Exception {
        PythonIdentityConsumer.assertInstalled();
        registry = LocalSchemaRegistry.start();
        kafka = EmbeddedKafka.start();
        redis = LocalRedis.start();
        JobTestSupportAccess.enrolPeople(redis.url(), "people");
    }

    @AfterAll
    static void stop() throws Exception {
        org.apache.flink.util.IOUtils.closeAll(redis, kafka, registry);
    }

    @ParameterizedTest(name = "kafka.wire-format: {0}")
    @ValueSource(strings = {"avro", "confluent"})
    void javaAndPythonConsumersDecodeEveryIdentityOfTheClip(String format) throws Exception {
        String identities = format + "-identities";
        List<String> settings =
                new ArrayList<>(
                        List.of(
                                "source.uris=hamilton=" + JobTestSupportAccess.CLIP,
                                "source.base-timestamp=" + TestFrames.BASE_MS,
                                "kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                                "kafka.topic.identities=" + identities,
                                "kafka.topic.annotated=" + format + "-annotated",
                                "kafka.topic.dead-letters=" + format + "-dead-letters",
                                "kafka.topic.appearances=" + format + "-appearances",
                                "kafka.topics.partitions=2",
                                "kafka.transactional-id-prefix=consumers-" + format,
                                "kafka.wire-format=" + format,
                                "redis.url=" + redis.url(),
                                "gallery.name=people",
                                "parallelism=" + PARALLELISM,
                                "checkpoint.interval=2s"));
        if (format.equals("confluent")) {
            settings.add("schema-registry.url=" + registry.url());
        }
        JobTopics.runToEnd(JobConfig.load(null, settings), "consumers-" + format);

        // What the job committed, read and decoded by the test itself.
        List<FaceIdentity> committed =
                JobTopics.read(
                        kafka, identities, 1, r -> decode(format, FaceIdentity.class, r.value()));
        List<AnnotatedFrame> annotated =
                JobTopics.read(
                        kafka,
                        format + "-annotated",
                        JobTopics.CLIP_FRAMES,
                        r -> decode(format, AnnotatedFrame.class, r.value()));
        JobTestSupportAccess.printSummary("consumers " + format, committed, annotated.size());
        JobTopics.assertClip(new JobTopics.ClipOutputs(committed, annotated));
        JobTopics.assertEveryFaceIdentified(annotated, committed);
        Map<String, String> expected = new TreeMap<>();
        committed.forEach(i -> expected.put(face(i), name(i)));

        // The Java example.
        Map<String, String> java = new TreeMap<>();
        try (IdentityConsumer consumer =
                new IdentityConsumer(
                        IdentityConsumer.properties(kafka.bootstrapServers(), "java-" + format),
                        identities,
                        format.equals("avro")
                                ? IdentityDecoder.plainAvro()
                                : IdentityDecoder.confluent(registry.url()))) {
            List<IdentityConsumer.Received> read =
                    consumer.readUntilIdle(Duration.ofSeconds(2), Duration.ofSeconds(60));
            assertThat(read).as("java consumer: records").hasSize(committed.size());
            assertThat(read).extracting(IdentityConsumer.Received::key).containsOnly("hamilton");
            read.forEach(r -> java.put(face(r.identity()), name(r.identity())));
            read.stream()
                    .filter(r -> r.identity().getIdentity() != null)
                    .findFirst()
                    .ifPresent(r -> System.out.println("java consumer: " + line(r.identity())));
        }
        assertThat(java).as("java consumer: face -> name").isEqualTo(expected);

        // The Python example, in a group of its own.
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--bootstrap-servers",
                                kafka.bootstrapServers(),
                                "--topic",
                                identities,
                                "--group",
                                "python-" + format,
                                "--wire-format",
                                format,
                                "--idle-timeout",
                                "2"));
        if (format.equals("confluent")) {
            args.addAll(List.of("--schema-registry-url", registry.url()));
        }
        List<JsonNode> py = PythonIdentityConsumer.consume(args);
        assertThat(py).as("python consumer: records").hasSize(committed.size());
        py.stream()
                .filter(n -> !n.get("identity").isNull())
                .findFirst()
                .ifPresent(n -> System.out.println("python consumer: " + n));
        Map<String, String> python = new TreeMap<>();
        for (JsonNode n : py) {
            assertThat(n.get("key").asText()).isEqualTo("hamilton");
            python.put(
                    n.get("frameSequence").asLong() + "#" + n.get("faceIndex").asInt(),
                    n.get("status").asText()
                            + (n.get("identity").isNull() ? "" : ":" + n.get("identity").asText()));
        }
        assertThat(python).as("python consumer: face -> name").isEqualTo(expected);
        assertThat(python.values()).anyMatch(v -> v.equals("MATCHED:lin_manuel_miranda"));
    }

    static String face(FaceIdentity i) {
        return i.getFrameSequence() + "#" + i.getFaceIndex();
    }

    static String name(FaceIdentity i) {
        return i.getStatus() + (i.getIdentity() == null ? "" : ":" + i.getIdentity());
    }

    /** A value in {@code format}; for confluent, read with the writer schema its id names. */
    static <T extends SpecificRecord> T decode(String format, Class<T> type, byte[] value)
            throws Exception {
        if (format.equals("avro")) {
            return TestFrames.read(type, value);
        }
        assertThat(value[0]).as("magic byte").isZero();
        int id = ConfluentWire.schemaId(value);
        Schema writer = WRITERS.get(id);
        if (writer == null) {
            writer =
                    new SchemaRegistry(
                                    new SchemaRegistryOptions(
                                            registry.url(),
                                            null,
                                            null,
                                            null,
                                            "PKCS12",
                                            Duration.ofSeconds(10)))
                            .schema(id);
            WRITERS.put(id, writer);
        }
        return new SpecificDatumReader<T>(writer, SpecificData.get().getSchema(type))
                .read(
                        null,
                        DecoderFactory.get()
                                .binaryDecoder(
                                        Arrays.copyOfRange(
                                                value, ConfluentWire.HEADER_BYTES, value.length),
                                        null));
    }
}
