package io.facestream.job.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.facestream.job.FacestreamJob;
import io.facestream.job.JobConfig;
import io.facestream.job.JobTestSupportAccess;
import io.facestream.schema.AnnotatedFrame;
import io.facestream.schema.FaceIdentity;
import io.facestream.testing.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The Kafka job tests' shared steps: run the production graph of a config to its end on the test's
 * MiniCluster, read an output topic back with {@code read_committed}, and check that no face came
 * out twice.
 */
final class JobTopics {
    private JobTopics() {}

    /** The sample clip's frames: {@link TestFrames#clip} and the video source give all 275. */
    static final int CLIP_FRAMES = 275;

    /** What a job over the sample clip (camera {@code hamilton}) wrote to the default topics. */
    record ClipOutputs(List<FaceIdentity> ids, List<AnnotatedFrame> annotated) {}

    /** Turns one committed record into the value a test asserts on; may assert on the record. */
    @FunctionalInterface
    interface Decoder<T> {
        T decode(ConsumerRecord<byte[], byte[]> record) throws Exception;
    }

    /** Wires the production sources, pipeline and sinks of {@code cfg} and runs them to the end. */
    static void runToEnd(JobConfig cfg, String jobName) throws Exception {
        StreamExecutionEnvironment env = JobTestSupportAccess.env(cfg);
        FacestreamJob.wire(env, cfg);
        env.execute(jobName);
    }

    /** At least {@code atLeast} committed records of {@code topic}, decoded (30 s at most). */
    static <T> List<T> read(EmbeddedKafka kafka, String topic, int atLeast, Decoder<T> decoder)
            throws Exception {
        List<T> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r :
                kafka.consumeCommitted(topic, atLeast, Duration.ofSeconds(30))) {
            out.add(decoder.decode(r));
        }
        return out;
    }

    /** Plain Avro values of {@code type}. */
    static <T extends SpecificRecord> Decoder<T> avro(Class<T> type) {
        return r -> TestFrames.read(type, r.value());
    }

    /** Plain Avro values of {@code type}, each keyed by {@code camera}. */
    static <T extends SpecificRecord> Decoder<T> avroKeyed(Class<T> type, String camera) {
        return r -> {
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(camera);
            return TestFrames.read(type, r.value());
        };
    }

    /**
     * Reads the identities (each keyed {@code hamilton}) and the annotated frames of the sample
     * clip from the default topics, and prints their summary under {@code label}.
     */
    static ClipOutputs readClip(EmbeddedKafka kafka, String label) throws Exception {
        List<FaceIdentity> ids =
                read(kafka, "identities", 1, avroKeyed(FaceIdentity.class, "hamilton"));
        List<AnnotatedFrame> annotated =
                read(kafka, "annotated-frames", CLIP_FRAMES, avro(AnnotatedFrame.class));
        JobTestSupportAccess.printSummary(label, ids, annotated.size());
        return new ClipOutputs(ids, annotated);
    }

    /**
     * The whole clip exactly once ({@link #assertNothingTwice}) and its faces identified as the
     * default gallery must identify them.
     */
    static void assertClip(ClipOutputs out) {
        assertNothingTwice(out.annotated(), out.ids(), CLIP_FRAMES);
        JobTestSupportAccess.assertHamiltonIdentities(out.ids());
    }

    /** Exactly once: {@code frames} annotated frames, no frame and no face's identity twice. */
    static void assertNothingTwice(
            List<AnnotatedFrame> annotated, List<FaceIdentity> ids, int frames) {
        assertThat(annotated).hasSize(frames);
        assertThat(annotated).extracting(AnnotatedFrame::getSequence).doesNotHaveDuplicates();
        assertThat(ids)
                .extracting(i -> i.getFrameSequence() + "#" + i.getFaceIndex())
                .as("no identity record twice")
                .doesNotHaveDuplicates();
    }

    /** Every face of every annotated frame is on the identity topic, and nothing else. */
    static void assertEveryFaceIdentified(List<AnnotatedFrame> annotated, List<FaceIdentity> ids) {
        assertThat(ids).hasSize(annotated.stream().mapToInt(a -> a.getFaces().size()).sum());
    }
}
