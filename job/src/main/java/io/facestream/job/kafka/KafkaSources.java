package io.facestream.job.kafka;

import io.facestream.schema.internal.RawRecord;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The job's Kafka sources.
 *
 * <p>{@link #frames} reads the frames topic as {@link RawRecord}s (bytes plus where they came from)
 * rather than as {@code Frame}s, so that {@link FrameParser} can dead-letter what does not parse
 * instead of failing the source. Offsets are committed to the consumer group on every checkpoint
 * (for monitoring lag and for {@code COMMITTED} restarts; recovery itself uses the offsets in the
 * checkpoint). Consumers read with {@code isolation.level=read_committed}.
 */
public final class KafkaSources {
    private KafkaSources() {}

    /** The frames source: follow it with {@link FrameParser}. */
    public static KafkaSource<RawRecord> frames(KafkaOptions options) {
        return framesBuilder(options).build();
    }

    /** The frames source's builder, for a caller that needs to adjust it (e.g. stop offsets). */
    public static KafkaSourceBuilder<RawRecord> framesBuilder(KafkaOptions options) {
        KafkaSourceBuilder<RawRecord> b =
                KafkaSource.<RawRecord>builder()
                        .setProperties(options.consumerProperties())
                        .setTopics(options.framesTopic())
                        .setStartingOffsets(startingOffsets(options.startingOffsets()))
                        .setDeserializer(new RawRecordDeserializer())
                        .setProperty("commit.offsets.on.checkpoint", "true");
        if (options.bounded()) {
            b.setBounded(OffsetsInitializer.latest());
        }
        return b;
    }

    // The connector takes Kafka's deprecated OffsetResetStrategy; it has no overload without it.
    @SuppressWarnings("deprecation")
    static OffsetsInitializer startingOffsets(KafkaOptions.StartingOffsets s) {
        return switch (s) {
            case EARLIEST -> OffsetsInitializer.earliest();
            case LATEST -> OffsetsInitializer.latest();
            // A group that never committed (first deployment) starts from the beginning.
            case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        };
    }
}
