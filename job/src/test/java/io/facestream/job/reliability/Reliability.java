package io.facestream.job.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.facestream.job.FaceRecognitionJob;
import io.facestream.job.FacestreamJob;
import io.facestream.job.JobConfig;
import io.facestream.job.JobTestSupportAccess;
import io.facestream.job.Sinks;
import io.facestream.job.Sources;
import io.facestream.job.kafka.TestFrames;
import io.facestream.schema.FaceAppearance;
import io.facestream.schema.FaceIdentity;
import io.facestream.schema.Frame;
import io.facestream.schema.MatchStatus;
import io.facestream.testing.EmbeddedKafka;
import io.facestream.testing.LocalRedis;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.formats.avro.AvroSerializationSchema;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The reliability tests' common ground: a MiniCluster that reports metrics to {@link
 * CollectingReporter}, the first frames of the sample clip on a Kafka topic, one job run per
 * scenario (its own output topics, transactional ids and consumer group) with the production graph
 * between the production Kafka source and sinks, and the comparison of two runs' identities.
 */
final class Reliability {
    static final String FRAMES_TOPIC = "frames";
    static final String GALLERY = "people";

    private Reliability() {}

    /** One task manager, like the other job tests, plus the collecting metric reporter. */
    static MiniClusterExtension miniCluster() {
        Configuration c = new Configuration();
        c.set(TaskManagerOptions.TASK_HEAP_MEMORY, MemorySize.ofMebiBytes(1024));
        c.setString(
                "metrics.reporter.collect.factory.class",
                CollectingReporter.Factory.class.getName());
        return new MiniClusterExtension(
                new MiniClusterResourceConfiguration.Builder()
                        .setNumberTaskManagers(1)
                        .setNumberSlotsPerTaskManager(8)
                        .setConfiguration(c)
                        .build());
    }

    /** {@link TestFrames#clip}: the first {@code n} frames of the sample clip, dated from now. */
    static List<Frame> clipFrames(int n) throws Exception {
        List<Frame> frames = TestFrames.clip(n);
        assertThat(frames).as("frames of %s", JobTestSupportAccess.CLIP).hasSize(n);
        return frames;
    }

    /**
     * Publishes the frames as Avro {@code Frame}s, all keyed by camera: one partition, in order.
     */
    static void publish(EmbeddedKafka kafka, List<Frame> frames) {
        kafka.createTopic(FRAMES_TOPIC, 1);
        byte[] key = "hamilton".getBytes(StandardCharsets.UTF_8);
        var serializer = AvroSerializationSchema.forSpecific(Frame.class);
        List<Map.Entry<byte[], byte[]>> records = new ArrayList<>();
        for (Frame f : frames) {
            records.add(Map.entry(key, serializer.serialize(f)));
        }
        kafka.produce(FRAMES_TOPIC, records);
    }

    /**
     * The configuration of run {@code run}: frames from the shared topic, outputs to topics of its
     * own, parallelism 2, a checkpoint every second, no annotated JPEGs (not what is tested, and
     * the CPU is better spent on detection), then {@code extra} overrides.
     */
    static JobConfig config(EmbeddedKafka kafka, LocalRedis redis, String run, String... extra) {
        for (String t : List.of("identities-", "annotated-", "dead-letters-", "appearances-")) {
            kafka.createTopic(t + run, 1);
        }
        List<String> sets =
                new ArrayList<>(
                        List.of(
                                "kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                                "kafka.topic.frames=" + FRAMES_TOPIC,
                                "kafka.topic.identities=identities-" + run,
                                "kafka.topic.annotated=annotated-" + run,
                                "kafka.topic.dead-letters=dead-letters-" + run,
                                "kafka.topic.appearances=appearances-" + run,
                                "kafka.group-id=" + run,
                                "kafka.starting-offsets=EARLIEST",
                                "kafka.bounded=true",
                                "kafka.transactional-id-prefix=" + run,
                                "redis.url=" + redis.url(),
                                "gallery.name=" + GALLERY,
                                "parallelism=2",
                                "checkpoint.interval=1s",
                                "annotate.enabled=false"));
        sets.addAll(List.of(extra));
        return JobConfig.load(null, sets);
    }

    /**
     * Starts run {@code run}: Kafka source → {@code frames} hook → the production graph → {@code
     * identities} hook → the production exactly-once sinks. With {@code restarts}, a fixed-delay
     * restart strategy (5 attempts, 500 ms apart) brings a failed job back from its last
     * checkpoint; without, any failure fails the run.
     */
    static JobClient start(
            String run,
            JobConfig cfg,
            boolean restarts,
            UnaryOperator<DataStream<Frame>> frames,
            UnaryOperator<DataStream<FaceIdentity>> identities)
            throws Exception {
        Configuration c = new Configuration();
        c.set(PipelineOptions.GENERIC_TYPES, false);
        if (restarts) {
            c.setString("restart-strategy.type", "fixed-delay");
            c.setString("restart-strategy.fixed-delay.attempts", "5");
            c.setString("restart-strategy.fixed-delay.delay", "500 ms");
        } else {
            c.setString("restart-strategy.type", "none");
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(c);
        FacestreamJob.configure(env, cfg);
        Sources.Input in = Sources.kafka(env, cfg);
        FaceRecognitionJob.Outputs out = FaceRecognitionJob.build(cfg, frames.apply(in.frames()));
        FaceRecognitionJob.Outputs hooked =
                new FaceRecognitionJob.Outputs(
                        identities.apply(out.identities()),
                        out.annotated(),
                        out.appearances(),
                        out.deadLetters(),
                        out.alerts());
        Sinks.attach(cfg, hooked, in.deadLetters().union(out.deadLetters()));
        return env.executeAsync(run);
    }

    /** Runs to the end and returns the identities committed to the run's topic. */
    static List<FaceIdentity> runToEnd(
            EmbeddedKafka kafka,
            String run,
            JobConfig cfg,
            boolean restarts,
            UnaryOperator<DataStream<Frame>> frames,
            UnaryOperator<DataStream<FaceIdentity>> identities)
            throws Exception {
        JobClient job = start(run, cfg, restarts, frames, identities);
        job.getJobExecutionResult().get();
        return committedIdentities(kafka, run, 1);
    }

    /**
     * The identity records of run {@code run} that a {@code read_committed} consumer sees, once
     * every transaction of the run has settled; a transaction left open fails the test, since it
     * would hide every record after it.
     */
    static List<FaceIdentity> committedIdentities(EmbeddedKafka kafka, String run, int atLeast)
            throws InterruptedException {
        assertThat(kafka.awaitTransactionsSettled(run + "-", Duration.ofSeconds(30)))
                .as("transactions of %s still open", run)
                .isEmpty();
        List<FaceIdentity> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r :
                kafka.consumeCommitted("identities-" + run, atLeast, Duration.ofSeconds(30))) {
            try {
                out.add(
                        new SpecificDatumReader<>(FaceIdentity.class)
                                .read(null, DecoderFactory.get().binaryDecoder(r.value(), null)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /**
     * The appearance events of run {@code run} that a {@code read_committed} consumer sees, each as
     * what must be the same with and without a failure: camera, track, event, status, identity,
     * first and last sequence, frames seen, faces embedded (not the emit time).
     */
    static List<String> committedAppearances(EmbeddedKafka kafka, String run)
            throws InterruptedException {
        List<String> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r :
                kafka.consumeCommitted("appearances-" + run, 1, Duration.ofSeconds(30))) {
            try {
                FaceAppearance a =
                        new SpecificDatumReader<>(FaceAppearance.class)
                                .read(null, DecoderFactory.get().binaryDecoder(r.value(), null));
                out.add(
                        String.join(
                                "|",
                                a.getCameraId(),
                                "track " + a.getTrackId(),
                                a.getEvent().name(),
                                a.getStatus().name(),
                                String.valueOf(a.getIdentity()),
                                a.getFirstSequence() + "-" + a.getLastSequence(),
                                "seen " + a.getFramesSeen(),
                                "embedded " + a.getFacesEmbedded()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /** One face of one frame of one camera: what must be in the output exactly once. */
    static String key(FaceIdentity i) {
        return i.getCameraId() + "#" + i.getFrameSequence() + "#" + i.getFaceIndex();
    }

    /**
     * What a face was decided to be: the identity when matched, else the status (and the failed
     * gate); and its track, whose id must survive a restore too.
     */
    static String decision(FaceIdentity i) {
        String what =
                i.getStatus() == MatchStatus.MATCHED
                        ? i.getIdentity()
                        : i.getStatus().name() + (i.getReason() == null ? "" : "/" + i.getReason());
        return what + " on track " + i.getTrackId();
    }

    /** How a run's identities differ from a failure-free run's, by face key. */
    record Comparison(
            int expected,
            int actual,
            int lost,
            int duplicated,
            int unexpected,
            Map<String, String> changed) {
        @Override
        public String toString() {
            return String.format(
                    "%d expected, %d committed: %d lost, %d duplicated, %d unexpected, %d decided"
                            + " otherwise %s",
                    expected, actual, lost, duplicated, unexpected, changed.size(), changed);
        }
    }

    static Comparison compare(List<FaceIdentity> expected, List<FaceIdentity> actual) {
        Map<String, String> want = new HashMap<>();
        expected.forEach(i -> want.put(key(i), decision(i)));
        Map<String, List<FaceIdentity>> got =
                actual.stream().collect(Collectors.groupingBy(Reliability::key));
        int lost = (int) want.keySet().stream().filter(k -> !got.containsKey(k)).count();
        int duplicated = got.values().stream().mapToInt(l -> l.size() - 1).sum();
        int unexpected = (int) got.keySet().stream().filter(k -> !want.containsKey(k)).count();
        Map<String, String> changed = new TreeMap<>();
        got.forEach(
                (k, l) -> {
                    String was = want.get(k);
                    String is = decision(l.get(0));
                    if (was != null && !was.equals(is)) {
                        changed.put(k, was + " -> " + is);
                    }
                });
        return new Comparison(want.size(), actual.size(), lost, duplicated, unexpected, changed);
    }
}
