package io.facestream.job.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facestream.job.FacestreamJob;
import io.facestream.job.JobConfig;
import io.facestream.job.JobTestSupportAccess;
import io.facestream.schema.AnnotatedFrame;
import io.facestream.schema.DeadLetter;
import io.facestream.schema.FaceIdentity;
import io.facestream.schema.Frame;
import io.facestream.testing.EmbeddedKafka;
import io.facestream.testing.LocalRedis;
import io.facestream.testing.LocalSchemaRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Confluent wire format against the real registry (Apicurio, Confluent-compatible API) and a
 * real broker: frames framed with a registered id in, every output topic framed with the id of its
 * {@code <topic>-value} subject out; a frame with an unknown schema id and a plain-Avro frame
 * become dead letters saying why; a registry that is down is an error at submit.
 */
class ConfluentWireITCase {
    static final int FRAMES = 40;

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = JobTestSupportAccess.miniCluster();

    static LocalSchemaRegistry registry;
    static EmbeddedKafka kafka;
    static LocalRedis redis;

    @BeforeAll
    static void start() {
        registry = LocalSchemaRegistry.start();
        kafka = EmbeddedKafka.start();
        redis = LocalRedis.start();
        JobTestSupportAccess.enrolPeople(redis.url(), "people");
        kafka.createTopic("cf-frames", 1);
    }

    @AfterAll
    static void stop() throws Exception {
        org.apache.flink.util.IOUtils.closeAll(redis, kafka, registry);
    }

    static SchemaRegistry client() {
        return new SchemaRegistry(
                new SchemaRegistryOptions(
                        registry.url(), null, null, null, "PKCS12", Duration.ofSeconds(10)));
    }

    /** Decodes a framed value with the writer schema its id names in the registry. */
    static <T extends SpecificRecord> T decode(Class<T> type, int expectedId, byte[] value)
            throws Exception {
        assertThat(value[0]).as("magic byte").isZero();
        int id = ConfluentWire.schemaId(value);
        assertThat(id).isEqualTo(expectedId);
        Schema writer = client().schema(id);
        return new SpecificDatumReader<T>(
                        writer, org.apache.avro.specific.SpecificData.get().getSchema(type))
                .read(
                        null,
                        DecoderFactory.get()
                                .binaryDecoder(Arrays.copyOfRange(value, 5, value.length), null));
    }

    @Test
    void roundTripsFramesAndOutputsThroughTheRegistry() throws Exception {
        SchemaRegistry sr = client();
        int frameId = sr.register("cf-frames-value", Frame.getClassSchema());
        byte[] key = "hamilton".getBytes(StandardCharsets.UTF_8);
        List<Map.Entry<byte[], byte[]>> records = new ArrayList<>();
        List<Frame> frames = TestFrames.clip(FRAMES);
        for (Frame f : frames) {
            records.add(Map.entry(key, ConfluentWire.frame(frameId, TestFrames.avro(f))));
        }
        Frame extra = Frame.newBuilder(frames.get(0)).setSequence(10_000).build();
        records.add(Map.entry(key, ConfluentWire.frame(987_654, TestFrames.avro(extra))));
        records.add(Map.entry(key, TestFrames.avro(extra))); // plain Avro, no header
        kafka.produce("cf-frames", records);

        JobConfig cfg =
                JobConfig.load(
                        null,
                        List.of(
                                "kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                                "kafka.topic.frames=cf-frames",
                                "kafka.topic.identities=cf-identities",
                                "kafka.topic.annotated=cf-annotated",
                                "kafka.topic.dead-letters=cf-dead-letters",
                                "kafka.starting-offsets=EARLIEST",
                                "kafka.bounded=true",
                                "kafka.transactional-id-prefix=confluent-it",
                                "kafka.wire-format=confluent",
                                "schema-registry.url=" + registry.url(),
                                "redis.url=" + redis.url(),
                                "gallery.name=people",
                                "parallelism=1",
                                "checkpoint.interval=2s"));
        JobTopics.runToEnd(cfg, "confluent-it");

        // The ids the job registered at submit; registering again finds the same ones.
        int idsId = sr.register("cf-identities-value", FaceIdentity.getClassSchema());
        int annotatedId = sr.register("cf-annotated-value", AnnotatedFrame.getClassSchema());
        int deadId = sr.register("cf-dead-letters-value", DeadLetter.getClassSchema());
        List<FaceIdentity> ids =
                JobTopics.read(
                        kafka,
                        "cf-identities",
                        1,
                        r -> decode(FaceIdentity.class, idsId, r.value()));
        List<AnnotatedFrame> annotated =
                JobTopics.read(
                        kafka,
                        "cf-annotated",
                        FRAMES,
                        r -> decode(AnnotatedFrame.class, annotatedId, r.value()));
        List<DeadLetter> dead =
                JobTopics.read(
                        kafka,
                        "cf-dead-letters",
                        2,
                        r -> decode(DeadLetter.class, deadId, r.value()));
        JobTestSupportAccess.printSummary("confluent", ids, annotated.size());
        dead.forEach(d -> System.out.println("dead letter: " + d.getErrorMessage()));

        JobTopics.assertNothingTwice(annotated, ids, FRAMES);
        assertThat(ids).isNotEmpty();
        JobTopics.assertEveryFaceIdentified(annotated, ids);
        assertThat(ids).anyMatch(i -> "lin_manuel_miranda".equals(i.getIdentity()));
        assertThat(dead).hasSize(2);
        assertThat(dead)
                .extracting(DeadLetter::getErrorMessage)
                .anyMatch(m -> m.contains("schema id 987654 is unknown to " + registry.url()))
                .anyMatch(m -> m.contains("magic byte is 16, not 0"));
        assertThat(dead).allMatch(d -> d.getSource().startsWith("cf-frames/0/"));
    }

    @Test
    void aRegistryThatIsDownIsAClearErrorAtSubmit() {
        JobConfig cfg =
                JobConfig.load(
                        null,
                        List.of(
                                "source.uris=a.mp4",
                                "kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                                "kafka.topic.identities=down-identities",
                                "kafka.wire-format=confluent",
                                "schema-registry.url=http://127.0.0.1:1/apis/ccompat/v7"));
        assertThatThrownBy(
                        () ->
                                FacestreamJob.wire(
                                        StreamExecutionEnvironment.getExecutionEnvironment(), cfg))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith(
                        "cannot register the schema of FaceIdentity under down-identities-value: the schema registry at http://127.0.0.1:1/apis/ccompat/v7 (schema-registry.url) did not answer");
        assertThatThrownBy(
                        () ->
                                JobConfig.load(
                                        null,
                                        List.of(
                                                "kafka.bootstrap-servers=b:9092",
                                                "kafka.wire-format=confluent")))
                .hasMessage("kafka.wire-format is confluent but schema-registry.url is not set");
    }
}
