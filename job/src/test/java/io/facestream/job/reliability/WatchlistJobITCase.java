package io.facestream.job.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.facestream.gallery.FaceGallery;
import io.facestream.gallery.Galleries;
import io.facestream.gallery.GalleryOptions;
import io.facestream.job.FaceRecognitionJob;
import io.facestream.job.JobConfig;
import io.facestream.job.JobTestSupportAccess;
import io.facestream.schema.FaceAlert;
import io.facestream.schema.FaceAppearance;
import io.facestream.schema.FaceIdentity;
import io.facestream.testing.EmbeddedKafka;
import io.facestream.testing.LocalRedis;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.IOUtils;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Watchlists and alerts end to end on the sample clip (camera {@code hamilton}): the production
 * graph on a MiniCluster, a real KRaft broker, a real Redis 8 gallery of {@code people/gallery}
 * with Miranda on list {@code watch} and Lacamoire on list {@code other}.
 */
class WatchlistJobITCase {
    static final int FRAMES = 60;
    static final String MIRANDA = "lin_manuel_miranda";
    static final String CAMERA = "hamilton";

    @RegisterExtension static final MiniClusterExtension CLUSTER = Reliability.miniCluster();

    static EmbeddedKafka kafka;
    static LocalRedis redis;

    @TempDir static Path tmp;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start();
        redis = LocalRedis.start();
        JobTestSupportAccess.enrolPeople(redis.url(), Reliability.GALLERY);
        try (FaceGallery g =
                Galleries.open(redis.url(), Reliability.GALLERY, GalleryOptions.defaults())) {
            g.addToLists(MIRANDA, List.of("watch"));
            g.addToLists("alex_lacamoire", List.of("other"));
        }
        Reliability.publish(kafka, Reliability.clipFrames(FRAMES));
    }

    @AfterAll
    static void stop() throws Exception {
        IOUtils.closeAll(redis, kafka);
    }

    /**
     * Miranda on {@code watch}, which alerts on the camera: one alert per appearance (track) named
     * Miranda, none for anyone else, each with her list and a JPEG thumbnail, exactly once in the
     * read_committed topic and in {@code alerts.jsonl} although the job failed and was restored
     * from a checkpoint midway.
     */
    @Test
    void alertsOncePerMirandaAppearanceExactlyOnceAcrossAFailure() throws Exception {
        String run = "watch-alerts";
        Path out = tmp.resolve("out-" + run);
        JobConfig cfg =
                Reliability.config(
                        kafka,
                        redis,
                        run,
                        "kafka.topic.alerts=alerts-" + run,
                        "watchlists.camera." + CAMERA + ".alert=watch",
                        "output.dir=" + out);
        List<FaceIdentity> ids =
                Reliability.runToEnd(
                        kafka,
                        run,
                        cfg,
                        true,
                        ExactlyOnceRecoveryITCase.throttled(100),
                        ids1 ->
                                ids1.map(
                                                new Hooks.FailOnce(
                                                        run, tmp.resolve("failed-" + run), 10),
                                                new org.apache.flink.formats.avro.typeutils
                                                        .AvroTypeInfo<>(FaceIdentity.class))
                                        .name("fail-once")
                                        .uid("fail-once"));
        assertThat(Files.exists(tmp.resolve("failed-" + run))).as("failure injected").isTrue();
        assertThat(CollectingReporter.gauge(run, "numRestarts")).as("restarts").isPositive();

        List<FaceAppearance> appearances = committed("appearances-" + run, FaceAppearance.class, 1);
        Set<Long> mirandaTracks = new TreeSet<>();
        for (FaceAppearance a : appearances) {
            if (MIRANDA.equals(a.getIdentity())) {
                mirandaTracks.add(a.getTrackId());
                assertThat(a.getLists()).containsExactly("watch");
            }
        }
        assertThat(mirandaTracks).as("Miranda's appearances").isNotEmpty();
        assertThat(ids)
                .filteredOn(i -> MIRANDA.equals(i.getIdentity()))
                .isNotEmpty()
                .allSatisfy(i -> assertThat(i.getLists()).containsExactly("watch"));

        List<FaceAlert> alerts = committed("alerts-" + run, FaceAlert.class, 1);
        System.out.printf(
                "%s: %d alerts for Miranda's tracks %s; failure at frame %s%n",
                run, alerts.size(), mirandaTracks, Hooks.FAILED_AT.get(run));
        assertThat(alerts).extracting(FaceAlert::getIdentity).containsOnly(MIRANDA);
        assertThat(alerts)
                .extracting(FaceAlert::getTrackId)
                .as("one alert per Miranda appearance, exactly once")
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(mirandaTracks);
        for (FaceAlert a : alerts) {
            assertThat(a.getCameraId()).isEqualTo(CAMERA);
            assertThat(a.getList()).isEqualTo("watch");
            assertThat(a.getSimilarity()).isGreaterThan(0.3f);
            byte[] jpeg = new byte[a.getThumbnail().remaining()];
            a.getThumbnail().duplicate().get(jpeg);
            assertThat(jpeg).as("a JPEG thumbnail").hasSizeGreaterThan(100);
            assertThat(jpeg[0]).isEqualTo((byte) 0xFF);
            assertThat(jpeg[1]).isEqualTo((byte) 0xD8);
        }
        // The local file went through the same restore.
        List<Long> jsonTracks = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(out.resolve("alerts.jsonl"))) {
            JsonNode n = json.readTree(line);
            assertThat(n.get("identity").asText()).isEqualTo(MIRANDA);
            assertThat(n.get("list").asText()).isEqualTo("watch");
            jsonTracks.add(n.get("trackId").asLong());
        }
        assertThat(jsonTracks)
                .as("alerts.jsonl")
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(mirandaTracks);
    }

    /**
     * The camera matches only list {@code other} (Lacamoire): the search itself is restricted, so
     * Miranda's faces find nobody on the list near enough and she is never named.
     */
    @Test
    void aCameraMatchingOnlyListOtherNeverNamesMiranda() throws Exception {
        String run = "match-other";
        JobConfig cfg =
                Reliability.config(
                        kafka, redis, run, "watchlists.camera." + CAMERA + ".match=other");
        List<FaceIdentity> ids = Reliability.runToEnd(kafka, run, cfg, false, f -> f, i -> i);
        JobTestSupportAccess.printSummary(run, ids, FRAMES);
        assertThat(ids.stream().map(FaceIdentity::getFrameSequence).distinct().count())
                .as("frames with faces")
                .isGreaterThan(FRAMES / 2);
        assertThat(ids).noneMatch(i -> MIRANDA.equals(i.getIdentity()));
        assertThat(ids)
                .allSatisfy(
                        i ->
                                assertThat(i.getCandidates())
                                        .noneMatch(c -> MIRANDA.equals(c.getIdentity())));
        assertThat(committed("appearances-" + run, FaceAppearance.class, 1))
                .noneMatch(a -> MIRANDA.equals(a.getIdentity()));
    }

    /** A list the gallery does not know is refused at submit, with the lists it does know. */
    @Test
    void anUnknownListInTheConfigurationIsRefusedAtSubmit() {
        JobConfig cfg =
                Reliability.config(
                        kafka, redis, "unknown-list", "watchlists.camera." + CAMERA + ".alert=vip");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        var frames =
                env.fromData(
                        new org.apache.flink.formats.avro.typeutils.AvroTypeInfo<>(
                                io.facestream.schema.Frame.class),
                        io.facestream.job.kafka.TestFrames.frame(CAMERA, 0, 640, new byte[] {1}));
        assertThatThrownBy(() -> FaceRecognitionJob.build(cfg, frames))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("names list [vip]")
                .hasMessageContaining("gallery 'people'")
                .hasMessageContaining("[other, watch]");
    }

    /**
     * Names that could break out of the filter expression are refused when the job is configured.
     */
    @Test
    void listNamesWithQuotesOrOperatorsAreRefusedInTheConfiguration() {
        for (String bad :
                List.of("watch\" or .identity != \"", "watch || 1", "a b", "watch)", "'x'")) {
            assertThatThrownBy(
                            () ->
                                    JobConfig.load(
                                            null,
                                            List.of(
                                                    "source.uris=x",
                                                    "watchlists.camera.A.match=staff," + bad)))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("watchlists.camera.A.match")
                    .hasMessageContaining("letters, digits");
        }
        assertThatThrownBy(
                        () ->
                                JobConfig.load(
                                        null,
                                        List.of("source.uris=x", "watchlists.camera.A.alerts=vip")))
                .hasMessageContaining("watchlists.camera.<camera-id>.alert");
    }

    private static <T extends SpecificRecord> List<T> committed(
            String topic, Class<T> type, int atLeast) {
        List<T> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r :
                kafka.consumeCommitted(topic, atLeast, Duration.ofSeconds(30))) {
            try {
                out.add(
                        new SpecificDatumReader<>(type)
                                .read(null, DecoderFactory.get().binaryDecoder(r.value(), null)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }
}
