package io.facestream.job.kafka;

import io.facestream.schema.AnnotatedFrame;
import io.facestream.schema.DeadLetter;
import io.facestream.schema.FaceAlert;
import io.facestream.schema.FaceAppearance;
import io.facestream.schema.FaceIdentity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.formats.avro.AvroSerializationSchema;

/**
 * The job's Kafka sinks: Avro binary values (the {@code schemas/} writer schema, no header, what
 * {@code SpecificDatumReader} of the same class reads), exactly once.
 *
 * <p>Each sink writes in Kafka transactions committed on Flink checkpoints, so consumers reading
 * with {@code isolation.level=read_committed} see every record once, and only after the checkpoint
 * that covers it; a job without checkpointing commits only at the end of bounded input. Each sink
 * gets its own transactional id prefix ({@code <prefix>-identities}, {@code -annotated}, {@code
 * -dead-letters}) because two sinks sharing one would fence each other. Every sink gets the
 * pass-through client properties and {@code transaction.timeout.ms} from {@link KafkaOptions}.
 *
 * <p>With a {@link SchemaRegistry} the values are in the Confluent wire format instead: each sink's
 * schema is registered under {@code <topic>-value} when the sink is built (at submit, on the
 * client), and every value starts with the magic byte and that id.
 */
public final class KafkaSinks {
    private KafkaSinks() {}

    /** Identity records keyed by camera id (UTF-8), so one camera's records stay in order. */
    public static KafkaSink<FaceIdentity> identities(KafkaOptions options) {
        return identities(options, null);
    }

    /** The same with the Confluent wire format when {@code registry} is not null. */
    public static KafkaSink<FaceIdentity> identities(
            KafkaOptions options, SchemaRegistry registry) {
        return sink(
                options,
                registry,
                "identities",
                options.identitiesTopic(),
                FaceIdentity.class,
                f -> utf8(f.getCameraId()));
    }

    /** Annotated frames keyed by camera id (UTF-8). */
    public static KafkaSink<AnnotatedFrame> annotated(KafkaOptions options) {
        return annotated(options, null);
    }

    /** The same with the Confluent wire format when {@code registry} is not null. */
    public static KafkaSink<AnnotatedFrame> annotated(
            KafkaOptions options, SchemaRegistry registry) {
        return sink(
                options,
                registry,
                "annotated",
                options.annotatedTopic(),
                AnnotatedFrame.class,
                f -> utf8(f.getCameraId()));
    }

    /** Appearance events keyed by camera id (UTF-8), on {@code kafka.topic.appearances}. */
    public static KafkaSink<FaceAppearance> appearances(
            KafkaOptions options, SchemaRegistry registry) {
        return sink(
                options,
                registry,
                "appearances",
                options.appearancesTopic(),
                FaceAppearance.class,
                a -> utf8(a.getCameraId()));
    }

    /** Watchlist alerts keyed by camera id (UTF-8), on {@code kafka.topic.alerts}. */
    public static KafkaSink<FaceAlert> alerts(KafkaOptions options, SchemaRegistry registry) {
        return sink(
                options,
                registry,
                "alerts",
                options.alertsTopic(),
                FaceAlert.class,
                a -> utf8(a.getCameraId()));
    }

    /** Dead letters keyed by their source (e.g. {@code frames/0/42}). */
    public static KafkaSink<DeadLetter> deadLetters(KafkaOptions options) {
        return deadLetters(options, null);
    }

    /** The same with the Confluent wire format when {@code registry} is not null. */
    public static KafkaSink<DeadLetter> deadLetters(KafkaOptions options, SchemaRegistry registry) {
        return sink(
                options,
                registry,
                "dead-letters",
                options.deadLettersTopic(),
                DeadLetter.class,
                d -> utf8(d.getSource()));
    }

    private static <T extends SpecificRecord> KafkaSink<T> sink(
            KafkaOptions options,
            SchemaRegistry registry,
            String name,
            String topic,
            Class<T> type,
            SerializationSchema<T> key) {
        KafkaRecordSerializationSchema<T> serializer =
                KafkaRecordSerializationSchema.<T>builder()
                        .setTopic(topic)
                        .setKeySerializationSchema(key)
                        .setValueSerializationSchema(values(registry, topic, type))
                        .build();
        return KafkaSink.<T>builder()
                .setKafkaProducerConfig(options.producerProperties())
                .setBootstrapServers(options.bootstrapServers())
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(transactionalIdPrefix(options, name))
                .build();
    }

    private static <T extends SpecificRecord> SerializationSchema<T> values(
            SchemaRegistry registry, String topic, Class<T> type) {
        if (registry == null) {
            return AvroSerializationSchema.forSpecific(type);
        }
        String subject = topic + "-value";
        Schema schema = SpecificData.get().getSchema(type);
        try {
            return new ConfluentWire.Serializer<>(registry.register(subject, schema), type);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot register the schema of "
                            + type.getSimpleName()
                            + " under "
                            + subject
                            + ": "
                            + e.getMessage(),
                    e);
        }
    }

    /** The transactional id prefix of one sink; ACLs on a shared cluster grant by prefix. */
    public static String transactionalIdPrefix(KafkaOptions options, String sink) {
        return options.transactionalIdPrefix() + "-" + sink;
    }

    private static byte[] utf8(CharSequence s) {
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }
}
