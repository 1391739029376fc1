package io.facestream.job.kafka;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job's topics, checked (and created) with an admin client at submit time, on the client,
 * before the job graph exists.
 *
 * <p>The input topic ({@code kafka.topic.frames}) must exist: a missing one is an error naming the
 * key, instead of a source that fails and restarts forever; with {@code kafka.topics.create: all}
 * it is created. The output topics (identities, annotated frames, dead letters) are created up
 * front when missing ({@code kafka.topics.create: outputs}, the default), so consumers can
 * subscribe before the first record, the dead-letter topic included. Created topics get {@code
 * kafka.topics.partitions} and {@code kafka.topics.replication-factor} (-1: the broker's defaults);
 * existing topics are left as they are. Without the right to create topics ({@code CREATE} on the
 * cluster or the topics) the job logs a warning naming the topics and goes on: an administrator
 * creates them, or the broker auto-creates them on the first write.
 */
public final class KafkaTopics {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaTopics.class);

    public static final ConfigOption<Create> CREATE =
            ConfigOptions.key("kafka.topics.create")
                    .enumType(Create.class)
                    .defaultValue(Create.OUTPUTS)
                    .withDescription(
                            "Missing topics the job creates at submit: NONE, OUTPUTS (identities,"
                                    + " annotated frames, dead letters) or ALL (the frames"
                                    + " topic too; else a missing frames topic is an error).");
    public static final ConfigOption<Integer> PARTITIONS =
            ConfigOptions.key("kafka.topics.partitions")
                    .intType()
                    .defaultValue(-1)
                    .withDescription(
                            "Partitions of the topics the job creates (-1: the broker's"
                                    + " num.partitions).");
    public static final ConfigOption<Integer> REPLICATION_FACTOR =
            ConfigOptions.key("kafka.topics.replication-factor")
                    .intType()
                    .defaultValue(-1)
                    .withDescription(
                            "Replication factor of the topics the job creates (-1: the broker's"
                                    + " default.replication.factor).");
    public static final ConfigOption<Duration> ADMIN_TIMEOUT =
            ConfigOptions.key("kafka.admin-timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription(
                            "How long the submit-time topic checks wait for the brokers before"
                                    + " the submission fails.");

    /** Which missing topics the job creates. */
    public enum Create {
        NONE,
        OUTPUTS,
        ALL
    }

    /** The {@code kafka.topics.*} settings. */
    public record Settings(Create create, int partitions, int replicationFactor, Duration timeout)
            implements Serializable {
        public static Settings fromConfiguration(Configuration conf) {
            int partitions = conf.get(PARTITIONS);
            int replication = conf.get(REPLICATION_FACTOR);
            if (partitions == 0 || partitions < -1) {
                throw new IllegalArgumentException(
                        PARTITIONS.key() + " must be positive or -1, is " + partitions);
            }
            if (replication == 0 || replication < -1 || replication > Short.MAX_VALUE) {
                throw new IllegalArgumentException(
                        REPLICATION_FACTOR.key() + " must be positive or -1, is " + replication);
            }
            return new Settings(conf.get(CREATE), partitions, replication, conf.get(ADMIN_TIMEOUT));
        }
    }

    private KafkaTopics() {}

    /** Fails unless the frames topic exists; creates it first with {@link Create#ALL}. */
    public static void requireInput(KafkaOptions k, Settings s) {
        String topic = k.framesTopic();
        try (Admin admin = admin(k, s)) {
            if (missing(admin, List.of(topic), k, s).isEmpty()) {
                return;
            }
            if (s.create() != Create.ALL) {
                throw new IllegalArgumentException(
                        "the input topic '"
                                + topic
                                + "' (kafka.topic.frames) does not exist on "
                                + k.bootstrapServers()
                                + ": create it, correct kafka.topic.frames, or set"
                                + " kafka.topics.create: all");
            }
            List<String> denied = create(admin, List.of(topic), k, s);
            if (!denied.isEmpty()) {
                throw new IllegalArgumentException(
                        "the input topic '"
                                + topic
                                + "' (kafka.topic.frames) does not exist on "
                                + k.bootstrapServers()
                                + " and the job may not create it (CREATE denied): create it");
            }
        }
    }

    /**
     * Creates the missing output topics unless {@link Create#NONE}; returns the ones still missing
     * (not allowed to create, or not asked to), each also logged as a warning.
     */
    public static List<String> prepareOutputs(KafkaOptions k, Settings s) {
        List<String> topics =
                List.of(
                        k.identitiesTopic(),
                        k.annotatedTopic(),
                        k.appearancesTopic(),
                        k.alertsTopic(),
                        k.deadLettersTopic());
        try (Admin admin = admin(k, s)) {
            Set<String> missing = missing(admin, topics, k, s);
            if (missing.isEmpty()) {
                return List.of();
            }
            List<String> left =
                    s.create() == Create.NONE
                            ? new ArrayList<>(missing)
                            : create(admin, missing, k, s);
            if (!left.isEmpty()) {
                LOG.warn(
                        "output topics {} do not exist on {} and the job {}: create them before"
                                + " consumers subscribe (the broker may auto-create them on the"
                                + " first write)",
                        left,
                        k.bootstrapServers(),
                        s.create() == Create.NONE
                                ? "does not create them (kafka.topics.create: none)"
                                : "may not create them (CREATE denied)");
            }
            return left;
        }
    }

    private static Admin admin(KafkaOptions k, Settings s) {
        Properties p = k.adminProperties();
        String ms = Long.toString(s.timeout().toMillis());
        p.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
        p.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
        return Admin.create(p);
    }

    /** The topics that do not exist; topics the job may not describe count as present. */
    private static Set<String> missing(
            Admin admin, Collection<String> topics, KafkaOptions k, Settings s) {
        Set<String> missing = new TreeSet<>();
        for (Map.Entry<String, KafkaFuture<org.apache.kafka.clients.admin.TopicDescription>> e :
                admin.describeTopics(topics).topicNameValues().entrySet()) {
            Throwable error = await(e.getValue(), k, s);
            if (error instanceof UnknownTopicOrPartitionException) {
                missing.add(e.getKey());
            } else if (error instanceof TopicAuthorizationException) {
                LOG.warn(
                        "may not describe Kafka topic '{}' on {}; not checked",
                        e.getKey(),
                        k.bootstrapServers());
            } else if (error != null) {
                throw new IllegalStateException(
                        "cannot check Kafka topic '"
                                + e.getKey()
                                + "' on "
                                + k.bootstrapServers()
                                + ": "
                                + error,
                        error);
            }
        }
        return missing;
    }

    /** Creates the topics; returns the ones the job was not allowed to create. */
    private static List<String> create(
            Admin admin, Collection<String> topics, KafkaOptions k, Settings s) {
        List<NewTopic> requests = new ArrayList<>();
        for (String t : topics) {
            requests.add(
                    new NewTopic(
                            t,
                            s.partitions() < 0 ? Optional.empty() : Optional.of(s.partitions()),
                            s.replicationFactor() < 0
                                    ? Optional.empty()
                                    : Optional.of((short) s.replicationFactor())));
        }
        List<String> denied = new ArrayList<>();
        for (Map.Entry<String, KafkaFuture<Void>> e :
                admin.createTopics(requests).values().entrySet()) {
            Throwable error = await(e.getValue(), k, s);
            if (error == null) {
                LOG.info(
                        "created Kafka topic '{}' on {} (partitions {}, replication factor {};"
                                + " -1: the broker's default)",
                        e.getKey(),
                        k.bootstrapServers(),
                        s.partitions(),
                        s.replicationFactor());
            } else if (error instanceof TopicAuthorizationException
                    || error instanceof ClusterAuthorizationException) {
                denied.add(e.getKey());
            } else if (!(error instanceof TopicExistsException)) {
                throw new IllegalArgumentException(
                        "cannot create Kafka topic '"
                                + e.getKey()
                                + "' on "
                                + k.bootstrapServers()
                                + " with kafka.topics.partitions="
                                + s.partitions()
                                + ", kafka.topics.replication-factor="
                                + s.replicationFactor()
                                + ": "
                                + error.getMessage(),
                        error);
            }
        }
        return denied;
    }

    /** Null when the future completed, else its failure; a broker out of reach throws. */
    private static Throwable await(KafkaFuture<?> f, KafkaOptions k, Settings s) {
        try {
            // the admin's own timeout fires first; this one only guards against a hang
            f.get(s.timeout().toMillis() + 5_000, TimeUnit.MILLISECONDS);
            return null;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw unreachable(k, s, e.getCause());
            }
            if (e.getCause() instanceof SslAuthenticationException) {
                throw tlsFailed(k, e.getCause());
            }
            return e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            throw unreachable(k, s, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking Kafka topics", e);
        }
    }

    /**
     * A failed handshake, told apart from an unreachable broker: Kafka's own message is only "SSL
     * handshake failed", the reason (an unknown CA, a host the certificate does not name) is the
     * innermost cause.
     */
    private static IllegalStateException tlsFailed(KafkaOptions k, Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return new IllegalStateException(
                "TLS handshake with Kafka at "
                        + k.bootstrapServers()
                        + " (kafka.bootstrap-servers) failed: "
                        + root.getMessage()
                        + ". The broker's certificate must be signed by a CA in"
                        + " kafka.properties.ssl.truststore.location (the JVM's trust store when"
                        + " unset) and name that host in its subject alternative names.",
                cause);
    }

    private static IllegalStateException unreachable(KafkaOptions k, Settings s, Throwable cause) {
        return new IllegalStateException(
                "no answer from Kafka at "
                        + k.bootstrapServers()
                        + " (kafka.bootstrap-servers) within "
                        + s.timeout().toSeconds()
                        + " s (kafka.admin-timeout): is it reachable, and are the"
                        + " kafka.properties.* security settings right?",
                cause);
    }
}
