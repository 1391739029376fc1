package io.facestream.job.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facestream.job.FacestreamJob;
import io.facestream.job.JobConfig;
import io.facestream.testing.EmbeddedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the job does to a real KRaft broker at submit time, before it runs: output topics created
 * with the configured partitions (so a consumer can subscribe to dead letters before any exist), a
 * missing input topic refused by name or created when asked, an unreachable broker a clear error.
 * The graphs are built as {@code flink run} builds them ({@link FacestreamJob#wire}), not executed.
 */
class KafkaTopicsITCase {
    static EmbeddedKafka kafka;

    @TempDir Path tmp;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stop() throws Exception {
        kafka.close();
    }

    static JobConfig config(String... sets) {
        return JobConfig.load(null, List.of(sets));
    }

    static StreamExecutionEnvironment wire(JobConfig cfg) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        FacestreamJob.configure(env, cfg);
        FacestreamJob.wire(env, cfg);
        return env;
    }

    static Map<String, TopicDescription> describe(String... topics) throws Exception {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", kafka.bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            return admin.describeTopics(List.of(topics)).allTopicNames().get();
        }
    }

    static Set<String> topics() throws Exception {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", kafka.bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            return admin.listTopics().names().get();
        }
    }

    /**
     * The main deployment from one config file: a camera URL in, Kafka out. The graph reads the
     * camera and writes the three topics (no Kafka source), and the topics exist, with 3
     * partitions, before the job has written anything.
     */
    @Test
    void createsEveryOutputTopicUpFrontSoConsumersCanSubscribeToDeadLettersFirst()
            throws Exception {
        Path file = tmp.resolve("cameras-to-kafka.yaml");
        Files.writeString(
                file,
                String.join(
                        "\n",
                        "source.uris: door=rtsp://camera.example:554/stream1",
                        "kafka.bootstrap-servers: " + kafka.bootstrapServers(),
                        "kafka.topic.identities: up-identities",
                        "kafka.topic.annotated: up-annotated",
                        "kafka.topic.dead-letters: up-dead-letters",
                        "kafka.topics.partitions: 3",
                        "kafka.topics.replication-factor: 1",
                        ""));
        StreamExecutionEnvironment env = wire(JobConfig.load(file, List.of()));

        List<String> operators =
                env.getStreamGraph(false).getStreamNodes().stream()
                        .map(StreamNode::getOperatorName)
                        .toList();
        assertThat(operators)
                .anyMatch(n -> n.contains("video-source"))
                .anyMatch(n -> n.contains("kafka-identities"))
                .anyMatch(n -> n.contains("kafka-annotated"))
                .anyMatch(n -> n.contains("kafka-dead-letters"))
                .noneMatch(n -> n.contains("kafka-frames"))
                .noneMatch(n -> n.contains("jsonl"));
        Map<String, TopicDescription> created =
                describe("up-identities", "up-annotated", "up-dead-letters");
        assertThat(created.values()).allSatisfy(d -> assertThat(d.partitions()).hasSize(3));

        // A consumer that must not create topics itself subscribes and gets all partitions.
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", kafka.bootstrapServers());
        p.setProperty(ConsumerConfig.GROUP_ID_CONFIG, "dead-letter-watch");
        p.setProperty(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        p.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Set<TopicPartition> assigned = new HashSet<>();
        int polled = 0;
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("up-dead-letters"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (assigned.size() < 3 && System.nanoTime() < deadline) {
                polled += consumer.poll(Duration.ofMillis(200)).count();
                assigned.addAll(consumer.assignment());
            }
        }
        assertThat(assigned.stream().map(TopicPartition::partition).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder(0, 1, 2);
        assertThat(polled).isZero();
    }

    @Test
    void leavesExistingTopicsAndCreatesNothingWhenToldNot() throws Exception {
        kafka.createTopic("kept-identities", 1);
        JobConfig cfg =
                config(
                        "source.uris=a.mp4",
                        "kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                        "kafka.topic.identities=kept-identities",
                        "kafka.topic.annotated=never-annotated",
                        "kafka.topic.dead-letters=never-dead-letters",
                        "kafka.topics.create=none");
        List<String> missing =
                KafkaTopics.prepareOutputs(
                        cfg.kafkaOptions(), KafkaTopics.Settings.fromConfiguration(cfg.conf()));
        assertThat(missing).containsExactly("never-annotated", "never-dead-letters");
        assertThat(topics()).contains("kept-identities").doesNotContainAnyElementsOf(missing);
        assertThat(describe("kept-identities").get("kept-identities").partitions()).hasSize(1);
    }

    @Test
    void refusesAMissingInputTopicAtSubmitNamingIt() throws Exception {
        JobConfig cfg =
                config(
                        "kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                        "kafka.topic.frames=absent-frames",
                        "kafka.topic.identities=absent-run-identities");
        assertThatThrownBy(() -> wire(cfg))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "the input topic 'absent-frames' (kafka.topic.frames) does not exist on "
                                + kafka.bootstrapServers()
                                + ": create it, correct kafka.topic.frames, or set"
                                + " kafka.topics.create: all");
        assertThat(topics()).doesNotContain("absent-frames");
    }

    @Test
    void createsTheInputTopicWhenConfigured() throws Exception {
        wire(
                config(
                        "kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                        "kafka.topic.frames=made-frames",
                        "kafka.topic.identities=made-identities",
                        "kafka.topics.create=all",
                        "kafka.topics.partitions=2"));
        assertThat(describe("made-frames").get("made-frames").partitions()).hasSize(2);
        assertThat(topics()).contains("made-identities");
    }

    @Test
    void anUnreachableBrokerIsAClearErrorAtSubmit() {
        long t0 = System.nanoTime();
        assertThatThrownBy(
                        () ->
                                wire(
                                        config(
                                                "source.uris=a.mp4",
                                                "kafka.bootstrap-servers=127.0.0.1:1",
                                                "kafka.admin-timeout=2s")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith(
                        "no answer from Kafka at 127.0.0.1:1 (kafka.bootstrap-servers) within 2 s"
                                + " (kafka.admin-timeout)");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void refusesImpossibleTopicSettingsByName() {
        JobConfig cfg =
                config(
                        "source.uris=a.mp4",
                        "kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                        "kafka.topic.identities=rf3-identities",
                        "kafka.topics.replication-factor=3");
        // One broker cannot hold three replicas.
        assertThatThrownBy(() -> wire(cfg))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot create Kafka topic")
                .hasMessageContaining("kafka.topics.replication-factor=3");
        assertThatThrownBy(
                        () ->
                                KafkaTopics.Settings.fromConfiguration(
                                        config("source.uris=a.mp4", "kafka.topics.partitions=0")
                                                .conf()))
                .hasMessage("kafka.topics.partitions must be positive or -1, is 0");
    }
}
