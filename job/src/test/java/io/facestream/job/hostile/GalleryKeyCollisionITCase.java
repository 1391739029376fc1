package io.facestream.job.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.facestream.flink.source.VideoSource;
import io.facestream.flink.source.VideoSourceOptions;
import io.facestream.job.FaceRecognitionJob;
import io.facestream.job.FacestreamJob;
import io.facestream.job.JobConfig;
import io.facestream.job.JobTestSupportAccess;
import io.facestream.job.Sources;
import io.facestream.schema.AnnotatedFrame;
import io.facestream.schema.FaceIdentity;
import io.facestream.schema.MatchStatus;
import io.facestream.testing.Cli;
import io.facestream.testing.LocalRedis;
import io.facestream.testing.LogCapture;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;

/**
 * A gallery name whose Redis keys another owner already holds, through every CLI command that
 * touches a gallery and through the streaming job. It needs neither the corpus nor an enrolled
 * gallery, only an empty Redis and a MiniCluster, so it stays out of {@link HostileInputITCase}'s
 * once-per-class run.
 */
class GalleryKeyCollisionITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = JobTestSupportAccess.miniCluster();

    @TempDir static Path tmp;
    static LocalRedis redis;

    @BeforeAll
    static void start() {
        redis = LocalRedis.start();
    }

    @AfterAll
    static void stop() {
        if (redis != null) {
            redis.close();
        }
    }

    /**
     * A gallery name whose keys already hold something else (here a string) is a clear error that
     * names the key, from every CLI command (exit code 1); the job keeps running, every face is a
     * LOOKUP_FAILED identity, and the log says why.
     */
    @Test
    void aGalleryNameWhoseKeyHoldsAStringIsAClearError() throws Exception {
        try (var client = RedisClient.create(java.net.URI.create(redis.url()))) {
            client.set("facestream:gallery:{taken}:meta", "somebody else's string");
            client.set("facestream:gallery:{taken-set}", "somebody else's string");
        }
        String metaError =
                "key 'facestream:gallery:{taken}:meta' holds a string, not a hash; it is not a"
                        + " facestream gallery";
        Path photo = HostileCorpus.DATA.resolve("people/scenes/kit_with_rose.jpg");
        List<Cli> runs =
                List.of(
                        Cli.run("gallery", "list", "--redis", redis.url(), "-g", "taken"),
                        Cli.run("gallery", "delete", "--redis", redis.url(), "-g", "taken", "x"),
                        Cli.run(
                                "identify",
                                "--redis",
                                redis.url(),
                                "-g",
                                "taken",
                                "--out",
                                tmp.resolve("taken").toString(),
                                photo.toString()),
                        Cli.run(
                                "enroll",
                                "--redis",
                                redis.url(),
                                "-g",
                                "taken",
                                HostileCorpus.DATA.resolve("people/gallery/biden").toString()));
        for (Cli run : runs) {
            assertThat(run.rc()).as(run.out()).isEqualTo(1);
            assertThat(run.err()).contains("error: " + metaError);
        }
        Cli enrol =
                Cli.run(
                        "enroll",
                        "--redis",
                        redis.url(),
                        "-g",
                        "taken-set",
                        HostileCorpus.DATA.resolve("people/gallery/biden").toString());
        assertThat(enrol.rc()).isEqualTo(1);
        assertThat(enrol.err())
                .contains("key 'facestream:gallery:{taken-set}' holds a string, not a vectorset");
        try (var client = RedisClient.create(java.net.URI.create(redis.url()))) {
            assertThat(client.get("facestream:gallery:{taken}:meta"))
                    .as("the other owner's data is left alone")
                    .isEqualTo("somebody else's string");
        }

        JobConfig cfg =
                JobConfig.load(
                        null,
                        List.of(
                                "source.uris=unused",
                                "redis.url=" + redis.url(),
                                "gallery.name=taken",
                                "parallelism=1",
                                "lookup.max-attempts=1",
                                // every face looked up, so every face meets the broken gallery
                                "track.mode=every-frame",
                                "checkpoint.interval=2s"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        FacestreamJob.configure(env, cfg);
        Sources.Input in =
                Sources.video(
                        env,
                        VideoSource.builder()
                                .addFile(
                                        HostileCorpus.DATA.resolve("video/faceapi_5frames.mp4"),
                                        "taken")
                                .options(VideoSourceOptions.defaults())
                                .build());
        FaceRecognitionJob.Outputs out = FaceRecognitionJob.build(cfg, in.frames());
        CloseableIterator<FaceIdentity> ids = out.identities().collectAsync();
        CloseableIterator<AnnotatedFrame> frames = out.annotated().collectAsync();
        List<FaceIdentity> found;
        try (LogCapture log = LogCapture.start()) {
            var client = env.executeAsync("gallery-key-collision");
            var idsF = JobTestSupportAccess.drain(ids);
            var framesF = JobTestSupportAccess.drain(frames);
            found = idsF.get();
            assertThat(framesF.get()).hasSize(5);
            client.getJobExecutionResult().get();
            // The identity records say LOOKUP_FAILED; the reason is in the (rate-limited) log.
            assertThat(log.text()).contains("gallery lookup failed").contains(metaError);
        }
        assertThat(found).isNotEmpty();
        assertThat(found)
                .allSatisfy(i -> assertThat(i.getStatus()).isEqualTo(MatchStatus.LOOKUP_FAILED));
    }
}
