package io.facestream.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real Kafka broker (KRaft, one combined broker+controller node on a random localhost port) in
 * the test JVM, with the few client helpers the tests need. Starting fails with an exception, never
 * a skipped test. The broker can be stopped and started again on the same port with the same data
 * (a broker restart). Close it to stop the broker and delete its log directories.
 *
 * <p>Started with {@link #startTls}, the broker's client listener speaks only TLS ({@code SSL}),
 * with the server certificate of the given key store; the helpers here then connect over TLS too,
 * and {@link #clientTlsProperties} are the settings a client (or the job, as {@code
 * kafka.properties.*}) needs. The controller's own listener stays plaintext, inside the node.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    /** The one node's id: the kit numbers combined nodes from 0. */
    private static final int COMBINED_NODE_ID = 0;

    /**
     * The broker's TLS material: a PKCS12 key store with its key and certificate chain, and a
     * PKCS12 trust store with the CA that signed it (the broker connects to itself to write
     * transaction markers, so it must trust its own certificate), both with {@code password}.
     */
    public record Tls(Path keystore, Path truststore, String password) {}

    private final KafkaClusterTestKit cluster;
    private final Tls tls;

    private EmbeddedKafka(KafkaClusterTestKit cluster, Tls tls) {
        this.cluster = cluster;
        this.tls = tls;
    }

    /** Formats and starts a plaintext broker and waits until it serves requests. */
    public static EmbeddedKafka start() {
        return start(null);
    }

    /** Formats and starts a broker that speaks only TLS to clients, and waits until it serves. */
    public static EmbeddedKafka startTls(Tls tls) {
        return start(java.util.Objects.requireNonNull(tls, "tls"));
    }

    private static Map<String, String> brokerTls(Tls tls) {
        return Map.of(
                "listener.security.protocol.map",
                "EXTERNAL:SSL,CONTROLLER:PLAINTEXT",
                "ssl.keystore.type",
                "PKCS12",
                "ssl.keystore.location",
                tls.keystore().toString(),
                "ssl.keystore.password",
                tls.password(),
                "ssl.key.password",
                tls.password(),
                "ssl.truststore.type",
                "PKCS12",
                "ssl.truststore.location",
                tls.truststore().toString(),
                "ssl.truststore.password",
                tls.password());
    }

    private static EmbeddedKafka start(Tls tls) {
        KafkaClusterTestKit cluster = null;
        try {
            TestKitNodes.Builder nodes =
                    new TestKitNodes.Builder()
                            .setCombined(true)
                            .setNumBrokerNodes(1)
                            .setNumControllerNodes(1)
                            // What a released broker runs, not the in-development features the
                            // kit enables.
                            .setBootstrapMetadataVersion(MetadataVersion.latestProduction());
            if (tls != null) {
                // The kit refuses an SSL broker listener, but lets a node's own properties
                // override what it generates: so the client listener (EXTERNAL) is made SSL
                // there. The controller's listener stays plaintext, inside the node.
                nodes.setPerServerProperties(Map.of(COMBINED_NODE_ID, brokerTls(tls)));
            }
            KafkaClusterTestKit.Builder builder =
                    new KafkaClusterTestKit.Builder(nodes.build())
                            // One broker: the internal topics cannot have 3 replicas.
                            .setConfigProp("offsets.topic.replication.factor", "1")
                            .setConfigProp("offsets.topic.num.partitions", "1")
                            .setConfigProp("transaction.state.log.replication.factor", "1")
                            .setConfigProp("transaction.state.log.min.isr", "1")
                            .setConfigProp("transaction.state.log.num.partitions", "1")
                            .setConfigProp("share.coordinator.state.topic.replication.factor", "1")
                            .setConfigProp("share.coordinator.state.topic.min.isr", "1")
                            // Consumer groups start at once instead of waiting for more members.
                            .setConfigProp("group.initial.rebalance.delay.ms", "0");
            cluster = builder.build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new EmbeddedKafka(cluster, tls);
        } catch (Exception e) {
            if (cluster != null) {
                try {
                    cluster.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new IllegalStateException("could not start the embedded Kafka broker", e);
        }
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    public void createTopic(String name, int partitions) {
        try (Admin admin = Admin.create(clientProperties())) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
                    .all()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not create topic " + name, e);
        }
    }

    /** Sends the records (key, value; either may be null) in order and returns their metadata. */
    public List<RecordMetadata> produce(String topic, List<Map.Entry<byte[], byte[]>> records) {
        Properties p = clientProperties();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        List<RecordMetadata> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (Map.Entry<byte[], byte[]> r : records) {
                // One at a time, so the offsets returned are in the order given.
                sent.add(
                        producer.send(new ProducerRecord<>(topic, r.getKey(), r.getValue())).get());
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not produce to " + topic, e);
        }
        return sent;
    }

    /**
     * Reads the topic from the beginning with {@code isolation.level=read_committed} until at least
     * {@code atLeast} records arrived and the end of every partition (its last stable offset) is
     * reached, or {@code timeout} passed, and returns what it read: so once the writers are done, a
     * count is exact. Returning on timeout (rather than failing) lets a test assert on the count
     * with a useful message.
     */
    public List<ConsumerRecord<byte[], byte[]>> consumeCommitted(
            String topic, int atLeast, Duration timeout) {
        Properties p = clientProperties();
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic, ADMIN_TIMEOUT).stream()
                            .map(i -> new TopicPartition(topic, i.partition()))
                            .toList();
            // Assigned, not subscribed: no group rebalance to wait for.
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
                if (out.size() >= atLeast && atEnd(consumer, partitions)) {
                    break;
                }
            }
        }
        return out;
    }

    /**
     * Data records in the topic whatever became of their transactions (read_uncommitted, to the
     * high watermark): with {@link #consumeCommitted} it tells aborted records from lost ones.
     */
    public int countUncommitted(String topic) {
        Properties p = clientProperties();
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        int n = 0;
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic, ADMIN_TIMEOUT).stream()
                            .map(i -> new TopicPartition(topic, i.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline && !atEnd(consumer, partitions)) {
                n += consumer.poll(Duration.ofMillis(200)).count();
            }
        }
        return n;
    }

    /** The transactional ids the broker knows: shows which producers wrote in transactions. */
    public Set<String> transactionalIds() {
        try (Admin admin = Admin.create(clientProperties())) {
            return admin
                    .listTransactions()
                    .all()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .stream()
                    .map(TransactionListing::transactionalId)
                    .collect(Collectors.toSet());
        } catch (Exception e) {
            throw new IllegalStateException("could not list transactions", e);
        }
    }

    /**
     * The state of every transaction the broker knows (transactional id to {@code Ongoing}, {@code
     * CompleteCommit}, ...): an {@code Ongoing} one left behind by a failed writer holds back
     * everything after it from {@code read_committed} consumers until it is aborted or times out.
     */
    public Map<String, String> transactionStates() {
        try (Admin admin = Admin.create(clientProperties())) {
            return admin
                    .listTransactions()
                    .all()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .stream()
                    .collect(
                            Collectors.toMap(
                                    TransactionListing::transactionalId,
                                    t -> t.state().toString(),
                                    (a, b) -> a,
                                    java.util.TreeMap::new));
        } catch (Exception e) {
            throw new IllegalStateException("could not list transactions", e);
        }
    }

    /**
     * Waits until no transaction whose id starts with {@code prefix} is open or half-completed, and
     * returns those still unsettled when {@code timeout} passed (empty: all settled). A committed
     * transaction's markers are written after the producer's commit returns, so a reader right
     * after a job ends must wait for this, and an {@code Ongoing} transaction that stays is one a
     * failed writer left behind.
     */
    public Map<String, String> awaitTransactionsSettled(String prefix, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<String, String> open = new java.util.TreeMap<>(transactionStates());
            open.keySet().removeIf(id -> !id.startsWith(prefix));
            open.values()
                    .removeIf(
                            s ->
                                    s.equals(TransactionState.EMPTY.toString())
                                            || s.equals(TransactionState.COMPLETE_COMMIT.toString())
                                            || s.equals(
                                                    TransactionState.COMPLETE_ABORT.toString()));
            if (open.isEmpty() || System.nanoTime() > deadline) {
                return open;
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    /**
     * Shuts the broker down (the controller keeps running), keeping its log directories and port,
     * so that {@link #startBroker} brings the same broker back: what clients see of a broker
     * restart.
     */
    public void stopBroker() {
        for (BrokerServer b : cluster.brokers().values()) {
            b.shutdown();
            b.awaitShutdown();
        }
    }

    /** Starts the broker {@link #stopBroker} stopped and waits until it serves requests again. */
    public void startBroker() {
        try {
            for (BrokerServer b : cluster.brokers().values()) {
                b.startup();
            }
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            throw new IllegalStateException("could not restart the embedded Kafka broker", e);
        }
    }

    private static boolean atEnd(KafkaConsumer<?, ?> consumer, List<TopicPartition> partitions) {
        // A read_committed consumer's end offsets are the last stable offsets.
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, ADMIN_TIMEOUT);
        return partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp));
    }

    /**
     * What a client needs to reach a {@link #startTls} broker: {@code security.protocol=SSL} and a
     * trust store with the broker's CA (empty for a plaintext broker). Prefixed with {@code
     * kafka.properties.}, they are the job's settings.
     */
    public Map<String, String> clientTlsProperties() {
        if (tls == null) {
            return Map.of();
        }
        return Map.of(
                "security.protocol",
                "SSL",
                "ssl.truststore.location",
                tls.truststore().toString(),
                "ssl.truststore.password",
                tls.password(),
                "ssl.truststore.type",
                "PKCS12");
    }

    private Properties clientProperties() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers());
        p.putAll(clientTlsProperties());
        return p;
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
