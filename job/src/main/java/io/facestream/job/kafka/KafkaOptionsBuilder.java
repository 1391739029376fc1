package io.facestream.job.kafka;

import io.facestream.job.kafka.KafkaOptions.StartingOffsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds {@link KafkaOptions} in code; starts from the {@code ConfigOption} defaults. Only the
 * bootstrap servers have no default. {@link #build()} validates (see {@link KafkaOptions}).
 */
public final class KafkaOptionsBuilder {
    private String bootstrapServers;
    private String framesTopic = KafkaOptions.FRAMES_TOPIC.defaultValue();
    private String identitiesTopic = KafkaOptions.IDENTITIES_TOPIC.defaultValue();
    private String annotatedTopic = KafkaOptions.ANNOTATED_TOPIC.defaultValue();
    private String deadLettersTopic = KafkaOptions.DEAD_LETTERS_TOPIC.defaultValue();
    private String appearancesTopic = KafkaOptions.APPEARANCES_TOPIC.defaultValue();
    private String alertsTopic = KafkaOptions.ALERTS_TOPIC.defaultValue();
    private String groupId = KafkaOptions.GROUP_ID.defaultValue();
    private StartingOffsets startingOffsets = KafkaOptions.STARTING_OFFSETS.defaultValue();
    private boolean bounded = KafkaOptions.BOUNDED.defaultValue();
    private String transactionalIdPrefix = KafkaOptions.TRANSACTIONAL_ID_PREFIX.defaultValue();
    private Duration transactionTimeout = KafkaOptions.TRANSACTION_TIMEOUT.defaultValue();
    private Duration checkpointInterval;
    private final Map<String, String> properties = new LinkedHashMap<>();

    KafkaOptionsBuilder() {}

    public KafkaOptionsBuilder bootstrapServers(String servers) {
        this.bootstrapServers = servers;
        return this;
    }

    public KafkaOptionsBuilder framesTopic(String topic) {
        this.framesTopic = topic;
        return this;
    }

    public KafkaOptionsBuilder identitiesTopic(String topic) {
        this.identitiesTopic = topic;
        return this;
    }

    public KafkaOptionsBuilder annotatedTopic(String topic) {
        this.annotatedTopic = topic;
        return this;
    }

    public KafkaOptionsBuilder alertsTopic(String topic) {
        this.alertsTopic = topic;
        return this;
    }

    public KafkaOptionsBuilder appearancesTopic(String topic) {
        this.appearancesTopic = topic;
        return this;
    }

    public KafkaOptionsBuilder deadLettersTopic(String topic) {
        this.deadLettersTopic = topic;
        return this;
    }

    public KafkaOptionsBuilder groupId(String groupId) {
        this.groupId = groupId;
        return this;
    }

    public KafkaOptionsBuilder startingOffsets(StartingOffsets startingOffsets) {
        this.startingOffsets = startingOffsets;
        return this;
    }

    /** True: the source stops at the latest offsets it finds at start (a replay). */
    public KafkaOptionsBuilder bounded(boolean bounded) {
        this.bounded = bounded;
        return this;
    }

    public KafkaOptionsBuilder transactionalIdPrefix(String prefix) {
        this.transactionalIdPrefix = prefix;
        return this;
    }

    public KafkaOptionsBuilder transactionTimeout(Duration timeout) {
        this.transactionTimeout = timeout;
        return this;
    }

    /**
     * The job's checkpoint interval; {@link #build()} checks the transaction timeout exceeds it.
     */
    public KafkaOptionsBuilder checkpointInterval(Duration interval) {
        this.checkpointInterval = interval;
        return this;
    }

    /** A client property passed to every Kafka client, e.g. {@code security.protocol}. */
    public KafkaOptionsBuilder property(String key, String value) {
        properties.put(key, value);
        return this;
    }

    public KafkaOptionsBuilder properties(Map<String, String> props) {
        properties.putAll(props);
        return this;
    }

    public KafkaOptions build() {
        return new KafkaOptions(
                bootstrapServers,
                framesTopic,
                identitiesTopic,
                annotatedTopic,
                deadLettersTopic,
                appearancesTopic,
                alertsTopic,
                groupId,
                startingOffsets,
                bounded,
                transactionalIdPrefix,
                transactionTimeout,
                checkpointInterval,
                properties);
    }
}
