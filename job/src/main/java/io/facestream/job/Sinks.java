package io.facestream.job;

import static io.facestream.job.FacestreamOptions.*;

import io.facestream.flink.source.VideoSourceOptions;
import io.facestream.job.kafka.KafkaSinks;
import io.facestream.job.kafka.KafkaTopics;
import io.facestream.job.kafka.SchemaRegistry;
import io.facestream.job.sink.AvroFileSink;
import io.facestream.job.sink.JsonLinesSink;
import io.facestream.job.sink.Mp4Sink;
import io.facestream.job.sink.ProgressSink;
import io.facestream.schema.DeadLetter;
import io.facestream.schema.FaceIdentity;
import java.nio.file.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job's outputs from configuration ({@link JobIo#sinks()}): Kafka topics (exactly-once, missing
 * ones created at submit, see {@link KafkaTopics}), local files under {@code output.dir}, or both.
 */
public final class Sinks {
    private static final Logger LOG = LoggerFactory.getLogger(Sinks.class);

    private Sinks() {}

    public static void attach(
            JobConfig cfg, FaceRecognitionJob.Outputs out, DataStream<DeadLetter> dead) {
        if (cfg.io().kafkaSink()) {
            var k = cfg.kafkaOptions();
            SchemaRegistry registry = cfg.schemaRegistry();
            KafkaTopics.prepareOutputs(k, KafkaTopics.Settings.fromConfiguration(cfg.conf()));
            if (cfg.io().source() == JobIo.Source.VIDEO
                    && cfg.get(VideoSourceOptions.BASE_TIMESTAMP) == 0) {
                LOG.warn(
                        "source.base-timestamp is 0: frames of video files are stamped from"
                                + " 1970-01-01, and the broker's retention deletes records that"
                                + " old at its next check; set it to the recording's start (see"
                                + " docs/reliability.md)");
            }
            out.identities()
                    .sinkTo(KafkaSinks.identities(k, registry))
                    .name("kafka-identities")
                    .uid("kafka-identities");
            out.annotated()
                    .sinkTo(KafkaSinks.annotated(k, registry))
                    .name("kafka-annotated")
                    .uid("kafka-annotated");
            out.appearances()
                    .sinkTo(KafkaSinks.appearances(k, registry))
                    .name("kafka-appearances")
                    .uid("kafka-appearances");
            if (out.alerts() != null) {
                out.alerts()
                        .sinkTo(KafkaSinks.alerts(k, registry))
                        .name("kafka-alerts")
                        .uid("kafka-alerts");
            }
            dead.sinkTo(KafkaSinks.deadLetters(k, registry))
                    .name("kafka-dead-letters")
                    .uid("kafka-dead-letters");
        }
        // Metrics only (what a live run's console status shows); they write nothing.
        out.identities()
                .sinkTo(ProgressSink.identities())
                .name("progress-identities")
                .uid("progress-identities")
                .setParallelism(1);
        out.annotated()
                .sinkTo(ProgressSink.frames())
                .name("progress-frames")
                .uid("progress-frames")
                .setParallelism(1);
        if (!cfg.io().fileSink()) {
            return;
        }
        cfg.conf()
                .getOptional(OUTPUT_DIR)
                .ifPresent(
                        d -> {
                            Path dir = Path.of(d);
                            out.identities()
                                    .sinkTo(new JsonLinesSink<>(dir.resolve("identities.jsonl")))
                                    .name("identities-jsonl")
                                    .uid("identities-jsonl")
                                    .setParallelism(1);
                            out.identities()
                                    .sinkTo(
                                            new AvroFileSink<>(
                                                    dir.resolve("identities.avro"),
                                                    FaceIdentity.class))
                                    .name("identities-avro")
                                    .uid("identities-avro")
                                    .setParallelism(1);
                            out.appearances()
                                    .sinkTo(new JsonLinesSink<>(dir.resolve("appearances.jsonl")))
                                    .name("appearances-jsonl")
                                    .uid("appearances-jsonl")
                                    .setParallelism(1);
                            if (out.alerts() != null) {
                                out.alerts()
                                        .sinkTo(new JsonLinesSink<>(dir.resolve("alerts.jsonl")))
                                        .name("alerts-jsonl")
                                        .uid("alerts-jsonl")
                                        .setParallelism(1);
                            }
                            dead.sinkTo(new JsonLinesSink<>(dir.resolve("dead-letters.jsonl")))
                                    .name("dead-letters-jsonl")
                                    .uid("dead-letters-jsonl")
                                    .setParallelism(1);
                            if (cfg.get(ANNOTATE)) {
                                out.annotated()
                                        .sinkTo(
                                                new Mp4Sink(
                                                        dir.resolve("annotated"),
                                                        cfg.get(OUTPUT_MP4_FPS),
                                                        64))
                                        .name("annotated-mp4")
                                        .uid("annotated-mp4")
                                        .setParallelism(1);
                            }
                        });
    }
}
