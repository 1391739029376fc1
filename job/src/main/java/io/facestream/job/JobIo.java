package io.facestream.job;

import static io.facestream.job.FacestreamOptions.OUTPUT_DIR;
import static io.facestream.job.FacestreamOptions.REPLAY_INPUTS;
import static io.facestream.job.FacestreamOptions.SINK_TYPES;
import static io.facestream.job.FacestreamOptions.SOURCE_TYPE;
import static io.facestream.job.FacestreamOptions.SOURCE_URIS;

import io.facestream.job.kafka.KafkaOptions;
import java.io.Serializable;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * Where the job reads and writes, decided once from configuration: the source ({@code source.type}:
 * video URIs or Kafka frames) and the sinks ({@code sink.types}: Kafka topics, local files, both)
 * are chosen independently, so any combination runs, video in → Kafka out included.
 *
 * <p>Unset, {@code source.type} is {@code video} when {@code source.uris} is set, else {@code
 * kafka} when {@code kafka.bootstrap-servers} is; {@code sink.types} is {@code kafka} when {@code
 * kafka.bootstrap-servers} is set plus {@code files} when {@code output.dir} is. {@link #of}
 * refuses a configuration that is incomplete (a chosen end without its keys) or conflicting (keys
 * of an end that is not chosen, which would otherwise be silently ignored), naming the keys. {@link
 * Source#NONE} only with {@code replay.inputs} (the replay mode brings its own source).
 */
public record JobIo(Source source, Set<Sink> sinks) implements Serializable {
    /** The job's one source. */
    public enum Source {
        VIDEO,
        KAFKA,
        NONE
    }

    /** The job's sinks; any subset. */
    public enum Sink {
        KAFKA,
        FILES
    }

    /** Kafka keys only the Kafka source reads; set with another source they would do nothing. */
    static final List<ConfigOption<?>> KAFKA_SOURCE_KEYS =
            List.of(
                    KafkaOptions.FRAMES_TOPIC,
                    KafkaOptions.STARTING_OFFSETS,
                    KafkaOptions.BOUNDED,
                    KafkaOptions.GROUP_ID);

    /** Kafka keys only the Kafka sinks read. */
    static final List<ConfigOption<?>> KAFKA_SINK_KEYS =
            List.of(
                    KafkaOptions.IDENTITIES_TOPIC,
                    KafkaOptions.ANNOTATED_TOPIC,
                    KafkaOptions.DEAD_LETTERS_TOPIC,
                    KafkaOptions.APPEARANCES_TOPIC,
                    KafkaOptions.TRANSACTIONAL_ID_PREFIX,
                    KafkaOptions.TRANSACTION_TIMEOUT);

    public JobIo {
        sinks = sinks.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(sinks));
    }

    public boolean kafkaSource() {
        return source == Source.KAFKA;
    }

    public boolean kafkaSink() {
        return sinks.contains(Sink.KAFKA);
    }

    public boolean fileSink() {
        return sinks.contains(Sink.FILES);
    }

    /** Resolves and checks the source and sinks; throws naming the keys to fix. */
    public static JobIo of(Configuration conf) {
        boolean kafka = conf.getOptional(KafkaOptions.BOOTSTRAP_SERVERS).isPresent();
        boolean uris = conf.getOptional(SOURCE_URIS).isPresent();
        Source source = conf.getOptional(SOURCE_TYPE).orElse(null);
        if (source == null) {
            if (uris) {
                List<String> set = setKeys(conf, KAFKA_SOURCE_KEYS);
                if (!set.isEmpty()) {
                    throw new IllegalArgumentException(
                            "source.uris and "
                                    + String.join(", ", set)
                                    + " are both set: set source.type to video (read source.uris)"
                                    + " or kafka (read kafka.topic.frames), and remove the keys of"
                                    + " the other");
                }
                source = Source.VIDEO;
            } else if (kafka) {
                source = Source.KAFKA;
            } else if (conf.getOptional(REPLAY_INPUTS).isPresent()) {
                source = Source.NONE;
            } else {
                throw new IllegalArgumentException(
                        "no input: set source.uris (video files, folders, rtsp:// URLs, webcam:N),"
                                + " kafka.bootstrap-servers (frames from kafka.topic.frames) or,"
                                + " for a replay (io.facestream.replay.Replay), replay.inputs");
            }
        }
        switch (source) {
            case VIDEO -> {
                require(uris, "source.type is video but source.uris is not set");
                List<String> set = setKeys(conf, KAFKA_SOURCE_KEYS);
                require(
                        set.isEmpty(),
                        "source.type is video, so "
                                + String.join(", ", set)
                                + " would be ignored: remove them or set source.type: kafka");
            }
            case KAFKA -> {
                require(
                        kafka,
                        "source.type is kafka but kafka.bootstrap-servers is not set (the broker"
                                + " to read kafka.topic.frames from)");
                require(
                        !uris,
                        "source.type is kafka, so source.uris would be ignored: remove it or set"
                                + " source.type: video");
            }
            case NONE ->
                    require(
                            conf.getOptional(REPLAY_INPUTS).isPresent(),
                            "source.type none is for --mode replay only (replay.inputs)");
        }
        return new JobIo(source, sinks(conf, source, kafka));
    }

    private static Set<Sink> sinks(Configuration conf, Source source, boolean kafka) {
        boolean dir = conf.getOptional(OUTPUT_DIR).isPresent();
        Set<Sink> sinks = EnumSet.noneOf(Sink.class);
        List<Sink> chosen = conf.getOptional(SINK_TYPES).orElse(null);
        if (chosen == null) {
            if (kafka) {
                sinks.add(Sink.KAFKA);
            }
            if (dir) {
                sinks.add(Sink.FILES);
            }
            return sinks;
        }
        sinks.addAll(chosen);
        if (sinks.contains(Sink.KAFKA)) {
            require(
                    kafka,
                    "sink.types includes kafka but kafka.bootstrap-servers is not set (the broker"
                            + " to write kafka.topic.identities, kafka.topic.annotated and"
                            + " kafka.topic.dead-letters to)");
        } else {
            List<String> set = setKeys(conf, KAFKA_SINK_KEYS);
            require(
                    set.isEmpty(),
                    "sink.types ("
                            + names(sinks)
                            + ") has no kafka, so "
                            + String.join(", ", set)
                            + " would be ignored: remove them or add kafka to sink.types");
            require(
                    !kafka || source == Source.KAFKA,
                    "kafka.bootstrap-servers is set but neither source.type ("
                            + source.name().toLowerCase(java.util.Locale.ROOT)
                            + ") nor sink.types ("
                            + names(sinks)
                            + ") uses Kafka: remove it or add kafka to sink.types");
        }
        if (sinks.contains(Sink.FILES)) {
            require(dir, "sink.types includes files but output.dir (the folder to write) is unset");
        } else {
            require(
                    !dir,
                    "output.dir is set but sink.types ("
                            + names(sinks)
                            + ") has no files: remove output.dir or add files to sink.types");
        }
        return sinks;
    }

    private static List<String> setKeys(Configuration conf, List<ConfigOption<?>> keys) {
        return keys.stream().map(ConfigOption::key).filter(conf::containsKey).toList();
    }

    private static String names(Set<Sink> sinks) {
        return sinks.isEmpty()
                ? "none"
                : sinks.stream()
                        .map(s -> s.name().toLowerCase(java.util.Locale.ROOT))
                        .collect(Collectors.joining(";"));
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
