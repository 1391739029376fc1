package io.facestream.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.facestream.analyze.FaceAnalyzer;
import io.facestream.detect.DetectorOptions;
import io.facestream.enroll.Enroller;
import io.facestream.enroll.IdentityNaming;
import io.facestream.flink.source.VideoSource;
import io.facestream.flink.source.VideoSourceOptions;
import io.facestream.gallery.FaceGallery;
import io.facestream.gallery.Galleries;
import io.facestream.gallery.GalleryOptions;
import io.facestream.gallery.Pseudonym;
import io.facestream.gallery.RedisTls;
import io.facestream.gallery.UnknownOptions;
import io.facestream.gallery.UnknownRegistry;
import io.facestream.model.ModelOptions;
import io.facestream.schema.AppearanceEvent;
import io.facestream.schema.DeadLetter;
import io.facestream.schema.FaceAppearance;
import io.facestream.schema.MatchStatus;
import io.facestream.testing.LocalRedis;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job with {@code unknowns.enabled} on four cameras against the Friends gallery, where nobody
 * in them is enrolled: the sample clip (Lin-Manuel Miranda), his gallery photo as a still camera,
 * and two different photos of Barack Obama as two more. Miranda gets one pseudonym on the clip and
 * the photo; Obama one on his two cameras; the two differ.
 */
class UnknownsJobITCase {
    @RegisterExtension static final MiniClusterExtension CLUSTER = JobTestSupport.miniCluster();

    static LocalRedis redis;

    @BeforeAll
    static void enrol() {
        redis = LocalRedis.start();
        try (FaceAnalyzer a =
                        FaceAnalyzer.open(
                                null, null, ModelOptions.DEFAULT, DetectorOptions.DEFAULT, 8);
                FaceGallery g = Galleries.open(redis.url(), "friends", GalleryOptions.defaults())) {
            new Enroller(a, g, IdentityNaming.AUTO, false)
                    .enroll(JobTestSupport.DATA.resolve("friends/gallery"), (d, t, f) -> {});
        }
    }

    @AfterAll
    static void stop() {
        redis.close();
    }

    @Test
    void aStrangerKeepsHisPseudonymAcrossCamerasAndTwoStrangersDiffer(@TempDir Path tmp)
            throws Exception {
        Path data = JobTestSupport.DATA.resolve("people/gallery");
        Path miranda = StillCamera.video(data.resolve("lin_manuel_miranda/lmm_a.png"), 30, tmp);
        Path obamaA = StillCamera.video(data.resolve("obama/obama_a.jpg"), 30, tmp);
        Path obamaB = StillCamera.video(data.resolve("obama/obama_b.jpg"), 30, tmp);
        JobConfig cfg =
                JobConfig.load(
                        null,
                        List.of(
                                "source.uris=clip=" + JobTestSupport.CLIP,
                                "redis.url=" + redis.url(),
                                "gallery.name=friends",
                                "unknowns.enabled=true",
                                "annotate.enabled=false",
                                "parallelism=2",
                                "checkpoint.interval=2s"));
        StreamExecutionEnvironment env = JobTestSupport.env(cfg);
        Sources.Input in =
                Sources.video(
                        env,
                        VideoSource.builder()
                                .addFile(JobTestSupport.CLIP, "clip")
                                .addFile(miranda, "miranda-photo")
                                .addFile(obamaA, "obama-a")
                                .addFile(obamaB, "obama-b")
                                .options(VideoSourceOptions.defaults())
                                .build());
        FaceRecognitionJob.Outputs out = FaceRecognitionJob.build(cfg, in.frames());
        CloseableIterator<FaceAppearance> appearances = out.appearances().collectAsync();
        CloseableIterator<DeadLetter> dead =
                in.deadLetters().union(out.deadLetters()).collectAsync();
        var client = env.executeAsync("unknowns-job-test");
        var appsF = JobTestSupport.drain(appearances);
        var deadF = JobTestSupport.drain(dead);
        List<FaceAppearance> events = appsF.get();
        List<DeadLetter> deadLetters = deadF.get();
        client.getJobExecutionResult().get();

        assertThat(deadLetters).isEmpty();
        Map<String, Set<String>> byCamera = new TreeMap<>();
        for (FaceAppearance e : events) {
            System.out.printf(
                    "%s track %d %s %s %s sim=%s faces=%d%n",
                    e.getCameraId(),
                    e.getTrackId(),
                    e.getEvent(),
                    e.getStatus(),
                    e.getPseudonym(),
                    e.getSimilarity(),
                    e.getFacesEmbedded());
            boolean unknownEnd =
                    e.getEvent() == AppearanceEvent.ENDED
                            && e.getStatus() == MatchStatus.UNKNOWN
                            && e.getFacesEmbedded() > 0;
            if (unknownEnd) {
                assertThat(e.getPseudonym()).as("ended unknown track").startsWith("unknown-");
                byCamera.computeIfAbsent(e.getCameraId(), k -> new TreeSet<>())
                        .add(e.getPseudonym());
            } else {
                assertThat(e.getPseudonym()).as("%s %s", e.getEvent(), e.getStatus()).isNull();
            }
        }
        assertThat(events)
                .as("nobody in these cameras is in the Friends gallery")
                .noneMatch(e -> e.getStatus() == MatchStatus.MATCHED);
        assertThat(byCamera.keySet())
                .containsExactly("clip", "miranda-photo", "obama-a", "obama-b");
        String mirandaP = byCamera.get("miranda-photo").iterator().next();
        String obamaP = byCamera.get("obama-a").iterator().next();
        assertThat(byCamera.get("miranda-photo")).hasSize(1);
        // Miranda is the clip's only stranger seen frontally (VideoJobITCase); his tracks on
        // either side of a shot cut are one pseudonym.
        assertThat(byCamera.get("clip")).as("the clip's strangers").containsExactly(mirandaP);
        assertThat(byCamera.get("obama-a")).containsExactly(obamaP);
        assertThat(byCamera.get("obama-b")).containsExactly(obamaP);
        assertThat(obamaP).isNotEqualTo(mirandaP);

        try (UnknownRegistry r =
                UnknownRegistry.open(
                        redis.url(),
                        RedisTls.JVM_DEFAULT,
                        "friends",
                        new UnknownOptions(0.4f, Duration.ofDays(1), 5))) {
            Pseudonym m = r.get(mirandaP).orElseThrow();
            assertThat(m.cameras()).containsOnlyKeys("clip", "miranda-photo");
            Pseudonym o = r.get(obamaP).orElseThrow();
            assertThat(o.cameras()).containsOnlyKeys("obama-a", "obama-b");
            assertThat(o.appearances()).isEqualTo(2);
            System.out.println("pseudonyms: " + r.list());
        }
    }
}
