package io.facestream.job.kafka;

import java.io.Serializable;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

/**
 * Where the job reads frames and writes its streams on Kafka, and how its clients connect.
 *
 * <p>Loaded from a Flink-style configuration ({@link #fromConfiguration}) or built in code ({@link
 * #builder}). Every key under {@value #PROPERTIES_PREFIX} is passed, without the prefix, to
 * <em>every</em> client the job creates (source, all sinks), which is how security settings such as
 * {@code security.protocol}, {@code sasl.jaas.config} or {@code ssl.*} reach them. {@link
 * #toString()} masks the values of secret-looking properties, so options can be logged.
 *
 * <p>The sinks are transactional: {@link #transactionTimeout()} must exceed the checkpoint interval
 * (a transaction stays open from one checkpoint to the next) and must not exceed the broker's
 * {@code transaction.max.timeout.ms} (15 min by default), hence the 15 min default. {@link
 * #checkpointInterval()} is the interval it was checked against (null: not checked). {@link
 * #properties()} holds the pass-through properties unmasked.
 */
public record KafkaOptions(
        String bootstrapServers,
        String framesTopic,
        String identitiesTopic,
        String annotatedTopic,
        String deadLettersTopic,
        String appearancesTopic,
        String alertsTopic,
        String groupId,
        StartingOffsets startingOffsets,
        boolean bounded,
        String transactionalIdPrefix,
        Duration transactionTimeout,
        Duration checkpointInterval,
        Map<String, String> properties)
        implements Serializable {

    /** Prefix of the client properties passed through to every Kafka client. */
    public static final String PROPERTIES_PREFIX = "kafka.properties.";

    public static final ConfigOption<String> BOOTSTRAP_SERVERS =
            ConfigOptions.key("kafka.bootstrap-servers")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Kafka bootstrap servers, host:port[,host:port...].");
    public static final ConfigOption<String> FRAMES_TOPIC =
            ConfigOptions.key("kafka.topic.frames")
                    .stringType()
                    .defaultValue("frames")
                    .withDescription("Input topic of Avro Frame records keyed by camera id.");
    public static final ConfigOption<String> IDENTITIES_TOPIC =
            ConfigOptions.key("kafka.topic.identities")
                    .stringType()
                    .defaultValue("identities")
                    .withDescription("Output topic of Avro FaceIdentity records.");
    public static final ConfigOption<String> ANNOTATED_TOPIC =
            ConfigOptions.key("kafka.topic.annotated")
                    .stringType()
                    .defaultValue("annotated-frames")
                    .withDescription("Output topic of Avro AnnotatedFrame records.");
    public static final ConfigOption<String> DEAD_LETTERS_TOPIC =
            ConfigOptions.key("kafka.topic.dead-letters")
                    .stringType()
                    .defaultValue("dead-letters")
                    .withDescription("Output topic of Avro DeadLetter records.");
    public static final ConfigOption<String> APPEARANCES_TOPIC =
            ConfigOptions.key("kafka.topic.appearances")
                    .stringType()
                    .defaultValue("appearances")
                    .withDescription("Output topic of Avro FaceAppearance events.");
    public static final ConfigOption<String> ALERTS_TOPIC =
            ConfigOptions.key("kafka.topic.alerts")
                    .stringType()
                    .defaultValue("alerts")
                    .withDescription("Output topic of Avro FaceAlert records (watchlist alerts).");
    public static final ConfigOption<String> GROUP_ID =
            ConfigOptions.key("kafka.group-id")
                    .stringType()
                    .defaultValue("facestream")
                    .withDescription("Consumer group id; offsets are committed on checkpoints.");
    public static final ConfigOption<StartingOffsets> STARTING_OFFSETS =
            ConfigOptions.key("kafka.starting-offsets")
                    .enumType(StartingOffsets.class)
                    .defaultValue(StartingOffsets.COMMITTED)
                    .withDescription(
                            "Where a fresh start (no checkpoint) reads from: EARLIEST, LATEST or"
                                    + " COMMITTED (the group's offsets, else earliest).");
    public static final ConfigOption<Boolean> BOUNDED =
            ConfigOptions.key("kafka.bounded")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Stop at the latest offsets found at start (replay of a topic).");
    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX =
            ConfigOptions.key("kafka.transactional-id-prefix")
                    .stringType()
                    .defaultValue("facestream")
                    .withDescription(
                            "Prefix of the sinks' transactional ids; unique per job on a cluster.");
    public static final ConfigOption<Duration> TRANSACTION_TIMEOUT =
            ConfigOptions.key("kafka.transaction-timeout")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(15))
                    .withDescription(
                            "transaction.timeout.ms of the sinks: above the checkpoint interval,"
                                    + " at most the broker's transaction.max.timeout.ms.");

    /** Where the source starts when it has no checkpointed position. */
    public enum StartingOffsets {
        EARLIEST,
        COMMITTED,
        LATEST
    }

    /** Client properties the options own; setting them as pass-through would be ambiguous. */
    static final Set<String> OWNED_PROPERTIES =
            Set.of("bootstrap.servers", "group.id", "transactional.id", "transaction.timeout.ms");

    /** Parts of property names whose values are secrets (passwords, keys, tokens, user:pass). */
    private static final List<String> SECRET_KEY_PARTS =
            List.of("password", "secret", "key", "token", "credential", "user.info");

    /** Validates every field, naming the config key to fix, and copies the properties. */
    public KafkaOptions {
        require(bootstrapServers, BOOTSTRAP_SERVERS);
        require(framesTopic, FRAMES_TOPIC);
        require(identitiesTopic, IDENTITIES_TOPIC);
        require(annotatedTopic, ANNOTATED_TOPIC);
        require(deadLettersTopic, DEAD_LETTERS_TOPIC);
        require(appearancesTopic, APPEARANCES_TOPIC);
        require(alertsTopic, ALERTS_TOPIC);
        require(groupId, GROUP_ID);
        require(transactionalIdPrefix, TRANSACTIONAL_ID_PREFIX);
        if (startingOffsets == null) {
            throw new IllegalArgumentException(STARTING_OFFSETS.key() + " is required");
        }
        if (transactionTimeout == null
                || transactionTimeout.isNegative()
                || transactionTimeout.isZero()) {
            throw new IllegalArgumentException(
                    TRANSACTION_TIMEOUT.key() + " must be positive, is " + transactionTimeout);
        }
        if (checkpointInterval != null && transactionTimeout.compareTo(checkpointInterval) <= 0) {
            // A sink's transaction stays open from one checkpoint to the next; the broker aborts
            // it after the timeout, and the records written in it are lost.
            throw new IllegalArgumentException(
                    TRANSACTION_TIMEOUT.key()
                            + " ("
                            + transactionTimeout
                            + ") must be larger than the checkpoint interval ("
                            + checkpointInterval
                            + "), or the broker aborts transactions before they are committed");
        }
        properties = Collections.unmodifiableMap(new TreeMap<>(properties));
        for (String key : properties.keySet()) {
            if (OWNED_PROPERTIES.contains(key)) {
                throw new IllegalArgumentException(
                        PROPERTIES_PREFIX + key + " is set by the kafka.* options; remove it");
            }
        }
    }

    private static void require(String value, ConfigOption<String> option) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(option.key() + " is required");
        }
    }

    public static KafkaOptionsBuilder builder() {
        return new KafkaOptionsBuilder();
    }

    /**
     * Reads the {@code kafka.*} keys, the pass-through {@value #PROPERTIES_PREFIX}* keys, and the
     * checkpoint interval ({@code execution.checkpointing.interval}) the transaction timeout is
     * checked against.
     */
    public static KafkaOptions fromConfiguration(Configuration conf) {
        KafkaOptionsBuilder b =
                builder()
                        .bootstrapServers(conf.get(BOOTSTRAP_SERVERS))
                        .framesTopic(conf.get(FRAMES_TOPIC))
                        .identitiesTopic(conf.get(IDENTITIES_TOPIC))
                        .annotatedTopic(conf.get(ANNOTATED_TOPIC))
                        .deadLettersTopic(conf.get(DEAD_LETTERS_TOPIC))
                        .appearancesTopic(conf.get(APPEARANCES_TOPIC))
                        .alertsTopic(conf.get(ALERTS_TOPIC))
                        .groupId(conf.get(GROUP_ID))
                        .startingOffsets(conf.get(STARTING_OFFSETS))
                        .bounded(conf.get(BOUNDED))
                        .transactionalIdPrefix(conf.get(TRANSACTIONAL_ID_PREFIX))
                        .transactionTimeout(conf.get(TRANSACTION_TIMEOUT));
        conf.getOptional(CheckpointingOptions.CHECKPOINTING_INTERVAL)
                .ifPresent(b::checkpointInterval);
        conf.toMap()
                .forEach(
                        (k, v) -> {
                            if (k.startsWith(PROPERTIES_PREFIX)) {
                                b.property(k.substring(PROPERTIES_PREFIX.length()), v);
                            }
                        });
        return b.build();
    }

    /** Consumer properties: the pass-through properties plus what the options decide. */
    public Properties consumerProperties() {
        Properties p = new Properties();
        // Frames written by transactional producers are only read once committed; a user may
        // still override this through the pass-through properties.
        p.setProperty("isolation.level", "read_committed");
        p.putAll(properties);
        p.setProperty("bootstrap.servers", bootstrapServers);
        p.setProperty("group.id", groupId);
        return p;
    }

    /** Producer properties: the pass-through properties plus what the options decide. */
    public Properties producerProperties() {
        Properties p = new Properties();
        p.putAll(properties);
        p.setProperty("bootstrap.servers", bootstrapServers);
        p.setProperty("transaction.timeout.ms", Long.toString(transactionTimeout.toMillis()));
        return p;
    }

    /** Admin client properties (topic checks and creation at submit): the pass-through ones. */
    public Properties adminProperties() {
        Properties p = new Properties();
        p.putAll(properties);
        p.setProperty("bootstrap.servers", bootstrapServers);
        return p;
    }

    /** Whether a client property's value is a secret that must never be printed. */
    static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return io.facestream.job.Secrets.isSecretKey(k)
                || SECRET_KEY_PARTS.stream().anyMatch(k::contains);
    }

    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>();
        properties.forEach(
                (k, v) ->
                        shown.put(
                                k,
                                isSecret(k)
                                        ? io.facestream.job.Secrets.MASK
                                        : io.facestream.job.Secrets.mask(k, v)));
        return "KafkaOptions{bootstrapServers="
                + bootstrapServers
                + ", topics={frames="
                + framesTopic
                + ", identities="
                + identitiesTopic
                + ", annotated="
                + annotatedTopic
                + ", deadLetters="
                + deadLettersTopic
                + "}, groupId="
                + groupId
                + ", startingOffsets="
                + startingOffsets
                + ", bounded="
                + bounded
                + ", transactionalIdPrefix="
                + transactionalIdPrefix
                + ", transactionTimeout="
                + transactionTimeout
                + ", checkpointInterval="
                + checkpointInterval
                + ", properties="
                + shown
                + "}";
    }
}
