package io.facestream.job.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.facestream.flink.source.VideoSource;
import io.facestream.flink.source.VideoSourceOptions;
import io.facestream.job.FaceRecognitionJob;
import io.facestream.job.JobConfig;
import io.facestream.job.JobTestSupportAccess;
import io.facestream.job.Sources;
import io.facestream.job.hostile.HostileCorpus.Case;
import io.facestream.job.hostile.HostileCorpus.Kind;
import io.facestream.schema.AnnotatedFrame;
import io.facestream.schema.DeadLetter;
import io.facestream.schema.FaceIdentity;
import io.facestream.testing.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * One MiniCluster run of the production graph over the whole {@link HostileCorpus}: every case as a
 * record on a real Kafka topic between good photos, plus the clip with a broken middle from the
 * video source, identified against the {@link HostileNames} gallery. Keeps what came out, with each
 * dead letter and each case's annotated frame traced back to its case by name.
 *
 * <p>Must be run from a test method (not {@code @BeforeAll}) of a class with a MiniCluster
 * extension, so that the job goes to that cluster.
 */
final class HostileJobRun {
    final List<FaceIdentity> identities;
    final List<AnnotatedFrame> annotated;
    final List<DeadLetter> dead;
    final Map<String, DeadLetter> deadByCase = new LinkedHashMap<>();
    final Map<String, AnnotatedFrame> frameByCase = new LinkedHashMap<>();

    private HostileJobRun(
            List<FaceIdentity> identities, List<AnnotatedFrame> annotated, List<DeadLetter> dead) {
        this.identities = identities;
        this.annotated = annotated;
        this.dead = dead;
    }

    /** Expects the {@code frames} topic to exist on {@code kafka}. */
    static HostileJobRun run(List<Case> corpus, EmbeddedKafka kafka, String redisUrl, Path tmp)
            throws Exception {
        Map<String, String> caseBySource = produce(corpus, kafka);
        Path broken = HostileCorpus.brokenClip(tmp);
        JobConfig cfg =
                JobConfig.load(
                        null,
                        List.of(
                                "kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                                "kafka.starting-offsets=EARLIEST",
                                "kafka.bounded=true",
                                "redis.url=" + redisUrl,
                                "gallery.name=" + HostileNames.GALLERY,
                                "parallelism=1",
                                "checkpoint.interval=2s"));
        StreamExecutionEnvironment env = JobTestSupportAccess.env(cfg);
        Sources.Input fromKafka = Sources.kafka(env, cfg);
        Sources.Input fromVideo =
                Sources.video(
                        env,
                        VideoSource.builder()
                                .addFile(broken, "broken-video")
                                .options(VideoSourceOptions.builder().everyNth(25).build())
                                .build());
        FaceRecognitionJob.Outputs out =
                FaceRecognitionJob.build(cfg, fromKafka.frames().union(fromVideo.frames()));
        DataStream<DeadLetter> allDead =
                fromKafka.deadLetters().union(fromVideo.deadLetters()).union(out.deadLetters());
        CloseableIterator<FaceIdentity> ids = out.identities().collectAsync();
        CloseableIterator<AnnotatedFrame> frames = out.annotated().collectAsync();
        CloseableIterator<DeadLetter> letters = allDead.collectAsync();
        long t0 = System.nanoTime();
        var client = env.executeAsync("hostile-input");
        var idsF = JobTestSupportAccess.drain(ids);
        var framesF = JobTestSupportAccess.drain(frames);
        var deadF = JobTestSupportAccess.drain(letters);
        HostileJobRun run = new HostileJobRun(idsF.get(), framesF.get(), deadF.get());
        client.getJobExecutionResult().get();
        long jobMillis = (System.nanoTime() - t0) / 1_000_000;
        run.traceToCases(corpus, caseBySource);
        System.out.printf(
                "hostile job: %d ms, %d annotated frames, %d identities, %d dead letters%n",
                jobMillis, run.annotated.size(), run.identities.size(), run.dead.size());
        return run;
    }

    /**
     * A good frame before, between every two bad ones, and after; returns which case each record
     * holds, by the source a dead letter names ({@code topic/partition/offset}).
     */
    private static Map<String, String> produce(List<Case> corpus, EmbeddedKafka kafka) {
        byte[] scene = HostileCorpus.read("people/scenes/obama_and_biden.jpg");
        byte[] kitWithRose = HostileCorpus.read("people/scenes/kit_with_rose.jpg");
        List<Map.Entry<byte[], byte[]>> records = new ArrayList<>();
        List<String> recordCase = new ArrayList<>();
        byte[] key = "hostile".getBytes(StandardCharsets.UTF_8);
        long seq = 0;
        for (int i = 0; i <= corpus.size(); i++) {
            byte[] good = i % 2 == 0 ? scene : kitWithRose;
            records.add(
                    Map.entry(
                            key, HostileCorpus.avro(HostileCorpus.goodFrame("good", seq++, good))));
            recordCase.add("good");
            if (i == corpus.size()) {
                break;
            }
            Case c = corpus.get(i);
            byte[] value =
                    c.kind() == Kind.RECORD
                            ? c.bytes()
                            : HostileCorpus.avro(HostileCorpus.frame(c, "case-" + i, seq++));
            // Map.entry refuses the tombstone's null value.
            records.add(new java.util.AbstractMap.SimpleEntry<>(key, value));
            recordCase.add(c.name());
        }
        List<RecordMetadata> sent = kafka.produce("frames", records);
        Map<String, String> caseBySource = new LinkedHashMap<>();
        for (int i = 0; i < sent.size(); i++) {
            caseBySource.put("frames/0/" + sent.get(i).offset(), recordCase.get(i));
        }
        return caseBySource;
    }

    /**
     * Records that fail before they are frames are known by their Kafka offset, the others by their
     * camera id {@code case-N}.
     */
    private void traceToCases(List<Case> corpus, Map<String, String> caseBySource) {
        for (DeadLetter d : dead) {
            System.out.println(
                    "dead letter: "
                            + d.getStage()
                            + " "
                            + d.getSource()
                            + ": "
                            + d.getErrorMessage());
            String name = caseBySource.get(d.getSource());
            if (name == null && d.getSource().startsWith("camera case-")) {
                int i = Integer.parseInt(d.getSource().split(" ")[1].substring("case-".length()));
                name = corpus.get(i).name();
            }
            if (name != null) {
                assertThat(deadByCase.put(name, d)).as("one dead letter for " + name).isNull();
            }
        }
        for (AnnotatedFrame f : annotated) {
            if (f.getCameraId().startsWith("case-")) {
                int i = Integer.parseInt(f.getCameraId().substring("case-".length()));
                frameByCase.put(corpus.get(i).name(), f);
            }
        }
    }
}
