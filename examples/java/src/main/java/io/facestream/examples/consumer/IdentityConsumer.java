package io.facestream.examples.consumer;

import io.facestream.schema.FaceIdentity;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A consumer of the identity topic as a downstream service would write it: a consumer group, {@code
 * isolation.level=read_committed} (the job writes in transactions: without it, records of aborted
 * transactions, e.g. after a job restart, would be read too), offsets committed after the records
 * were handled. Keys are camera ids (UTF-8), values {@link FaceIdentity} in the job's wire format,
 * decoded by an {@link IdentityDecoder}. A value that does not decode is an {@link IOException}
 * naming its partition and offset, never skipped silently.
 */
public final class IdentityConsumer implements AutoCloseable {

    /** One record read: key (camera id), where it was, and the decoded identity. */
    public record Received(String key, int partition, long offset, FaceIdentity identity) {}

    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final IdentityDecoder decoder;

    /**
     * Subscribes to {@code topic} with {@code properties} (see {@link #properties}; security
     * settings such as {@code security.protocol} pass through).
     */
    public IdentityConsumer(Properties properties, String topic, IdentityDecoder decoder) {
        this.consumer =
                new KafkaConsumer<>(
                        properties, new StringDeserializer(), new ByteArrayDeserializer());
        this.topic = topic;
        this.decoder = decoder;
        consumer.subscribe(List.of(topic));
    }

    /**
     * The settings that matter for the identity topic: read_committed, manual commits, and a new
     * group starting at the beginning of the topic.
     */
    public static Properties properties(String bootstrapServers, String groupId) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return p;
    }

    /** One poll: the records that arrived within {@code timeout}, decoded, then committed. */
    public List<Received> poll(Duration timeout) throws IOException {
        List<Received> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : consumer.poll(timeout)) {
            try {
                out.add(
                        new Received(
                                r.key(), r.partition(), r.offset(), decoder.decode(r.value())));
            } catch (IOException | RuntimeException e) {
                throw new IOException(
                        "cannot decode " + topic + "/" + r.partition() + "@" + r.offset(), e);
            }
        }
        if (!out.isEmpty()) {
            consumer.commitSync();
        }
        return out;
    }

    /**
     * Reads until this consumer holds partitions, has reached their end (for read_committed, the
     * last stable offset) and nothing came for {@code idle}, or until {@code atMost} passed: what a
     * batch job over "everything written so far" does.
     */
    public List<Received> readUntilIdle(Duration idle, Duration atMost) throws IOException {
        List<Received> out = new ArrayList<>();
        long deadline = System.nanoTime() + atMost.toNanos();
        long lastRecord = System.nanoTime();
        while (System.nanoTime() < deadline) {
            List<Received> batch = poll(Duration.ofMillis(200));
            out.addAll(batch);
            if (!batch.isEmpty()) {
                lastRecord = System.nanoTime();
            } else if (System.nanoTime() - lastRecord > idle.toNanos() && atEnd()) {
                break;
            }
        }
        return out;
    }

    private boolean atEnd() {
        Set<TopicPartition> assigned = consumer.assignment();
        if (assigned.isEmpty()) {
            return false;
        }
        Map<TopicPartition, Long> end = consumer.endOffsets(assigned);
        return assigned.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp));
    }

    @Override
    public void close() {
        consumer.close();
    }
}
