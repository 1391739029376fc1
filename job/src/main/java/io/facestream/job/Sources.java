package io.facestream.job;

import static io.facestream.job.FacestreamOptions.*;

import io.facestream.flink.source.VideoSource;
import io.facestream.flink.source.VideoSourceOptions;
import io.facestream.job.kafka.FrameParser;
import io.facestream.job.kafka.KafkaOptions;
import io.facestream.job.kafka.KafkaSources;
import io.facestream.job.kafka.KafkaTopics;
import io.facestream.job.kafka.SchemaRegistry;
import io.facestream.schema.DeadLetter;
import io.facestream.schema.Frame;
import io.facestream.schema.internal.RawRecord;
import io.facestream.schema.internal.SourceRecord;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The job's input from configuration ({@link JobIo#source()}): the video source over {@code
 * source.uris}, or frames from Kafka. The Kafka input topic is checked (or created) at submit, see
 * {@link KafkaTopics}.
 */
public final class Sources {
    /** Frames, and dead letters of input the source could not read. */
    public record Input(DataStream<Frame> frames, DataStream<DeadLetter> deadLetters) {}

    private Sources() {}

    public static Input from(StreamExecutionEnvironment env, JobConfig cfg) {
        return switch (cfg.io().source()) {
            case KAFKA -> kafka(env, cfg);
            case VIDEO -> video(env, cfg);
            case NONE ->
                    throw new IllegalArgumentException(
                            "no source: set source.uris or source.type (replay.inputs is read by the"
                                    + " replay entry point, io.facestream.replay.Replay, only)");
        };
    }

    public static Input video(StreamExecutionEnvironment env, JobConfig cfg) {
        // Every source.* key (base timestamp, encoding, reconnects...), validated there.
        VideoSourceOptions options = VideoSourceOptions.fromConfig(cfg.conf());
        VideoSource source = VideoSource.fromUris(cfg.get(SOURCE_URIS), options);
        return video(env, source);
    }

    /** Splits the video source's records into frames and dead letters. */
    public static Input video(StreamExecutionEnvironment env, VideoSource source) {
        SingleOutputStreamOperator<Frame> frames =
                env.fromSource(
                                source,
                                VideoSource.watermarks(Duration.ofSeconds(5)),
                                "video-source")
                        .uid("video-source")
                        .process(new Split(), new AvroTypeInfo<>(Frame.class))
                        .name("video-frames")
                        .uid("video-frames");
        return new Input(frames, frames.getSideOutput(io.facestream.flink.DeadLetters.TAG));
    }

    public static Input kafka(StreamExecutionEnvironment env, JobConfig cfg) {
        KafkaOptions options = cfg.kafkaOptions();
        KafkaTopics.requireInput(options, KafkaTopics.Settings.fromConfiguration(cfg.conf()));
        SchemaRegistry registry = cfg.schemaRegistry();
        if (registry != null) {
            try {
                registry.check();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
        DataStream<RawRecord> raw =
                env.fromSource(
                                KafkaSources.frames(options),
                                WatermarkStrategy.<RawRecord>forBoundedOutOfOrderness(
                                                Duration.ofMillis(200))
                                        .withTimestampAssigner((r, ts) -> r.getTimestamp())
                                        .withIdleness(Duration.ofSeconds(5)),
                                "kafka-frames")
                        .uid("kafka-frames");
        SingleOutputStreamOperator<Frame> frames =
                raw.process(new FrameParser(registry), new AvroTypeInfo<>(Frame.class))
                        .name("frame-parser")
                        .uid("frame-parser");
        return new Input(frames, frames.getSideOutput(FrameParser.DEAD_LETTERS));
    }

    /** Frames on the main output, the source's dead letters on the shared side output. */
    static final class Split extends ProcessFunction<SourceRecord, Frame> {
        @Override
        public void processElement(SourceRecord r, Context ctx, Collector<Frame> out) {
            if (r.getFrame() != null) {
                out.collect(r.getFrame());
            } else if (r.getDeadLetter() != null) {
                ctx.output(io.facestream.flink.DeadLetters.TAG, r.getDeadLetter());
            }
        }
    }
}
