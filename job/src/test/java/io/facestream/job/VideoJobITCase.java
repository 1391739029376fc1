package io.facestream.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.facestream.flink.source.VideoSource;
import io.facestream.flink.source.VideoSourceOptions;
import io.facestream.schema.AnnotatedFrame;
import io.facestream.schema.DeadLetter;
import io.facestream.schema.FaceIdentity;
import io.facestream.testing.LocalRedis;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole graph on a MiniCluster (parallelism 2) with the video source reading the sample clip
 * directly, the real models and a real Redis 8 gallery of {@code people/gallery}.
 */
class VideoJobITCase {
    @RegisterExtension static final MiniClusterExtension CLUSTER = JobTestSupport.miniCluster();

    static LocalRedis redis;

    @BeforeAll
    static void enrol() {
        redis = LocalRedis.start();
        JobTestSupport.enrolPeople(redis.url(), "people");
    }

    @AfterAll
    static void stop() {
        redis.close();
    }

    @Test
    void identifiesMirandaAndObamaInTheClip() throws Exception {
        JobConfig cfg =
                JobConfig.load(
                        null,
                        List.of(
                                "source.uris=hamilton=" + JobTestSupport.CLIP,
                                "redis.url=" + redis.url(),
                                "gallery.name=people",
                                "parallelism=2",
                                "checkpoint.interval=2s"));
        StreamExecutionEnvironment env = JobTestSupport.env(cfg);
        Sources.Input in =
                Sources.video(
                        env,
                        VideoSource.builder()
                                .addFile(JobTestSupport.CLIP, "hamilton")
                                .options(VideoSourceOptions.defaults())
                                .build());
        FaceRecognitionJob.Outputs out = FaceRecognitionJob.build(cfg, in.frames());
        CloseableIterator<FaceIdentity> ids = out.identities().collectAsync();
        CloseableIterator<AnnotatedFrame> annotated = out.annotated().collectAsync();
        CloseableIterator<DeadLetter> dead =
                in.deadLetters().union(out.deadLetters()).collectAsync();
        // Read while the job runs: collect sinks wait for their reader.
        var client = env.executeAsync("video-job-test");

        // Each collect sink waits for its reader, so all three are drained at once.
        var idsF = JobTestSupport.drain(ids);
        var framesF = JobTestSupport.drain(annotated);
        var deadF = JobTestSupport.drain(dead);
        List<FaceIdentity> identities = idsF.get();
        List<AnnotatedFrame> frames = framesF.get();
        List<DeadLetter> deadLetters = deadF.get();
        client.getJobExecutionResult().get();

        JobTestSupport.printSummary("video source", identities, frames.size());
        JobTestSupport.writeSamples(frames, "video-job");
        assertThat(deadLetters).isEmpty();
        assertThat(frames).hasSize(275);
        assertThat(frames).extracting(AnnotatedFrame::getSequence).doesNotHaveDuplicates();
        JobTestSupport.assertHamiltonIdentities(identities);
    }

    /**
     * Bad video input among good: a truncated MP4, a file that is not a video, and an RTSP camera
     * that refuses connections each end as a DeadLetter; the good clip is still fully processed.
     */
    @Test
    void reportsBrokenVideosAndRefusedCamerasAndKeepsGoing(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        byte[] clip = java.nio.file.Files.readAllBytes(JobTestSupport.CLIP);
        java.nio.file.Path cut = tmp.resolve("cut.mp4");
        java.nio.file.Files.write(cut, java.util.Arrays.copyOf(clip, clip.length / 2));
        java.nio.file.Path text = tmp.resolve("notes.mp4");
        java.nio.file.Files.writeString(text, "this is not a video");
        JobConfig cfg =
                JobConfig.load(
                        null,
                        List.of(
                                "source.uris=unused",
                                "redis.url=" + redis.url(),
                                "gallery.name=people",
                                "parallelism=2",
                                "checkpoint.interval=2s"));
        StreamExecutionEnvironment env = JobTestSupport.env(cfg);
        Sources.Input in =
                Sources.video(
                        env,
                        VideoSource.builder()
                                .addFile(
                                        JobTestSupport.DATA.resolve("video/faceapi_5frames.mp4"),
                                        "good")
                                .addFile(cut, "cut")
                                .addFile(text, "text")
                                .addUri("rtsp://127.0.0.1:1/none", "refused")
                                .options(
                                        VideoSourceOptions.builder()
                                                .maxReconnects(1)
                                                .reconnectDelay(
                                                        java.time.Duration.ofMillis(100),
                                                        java.time.Duration.ofMillis(200))
                                                .build())
                                .build());
        FaceRecognitionJob.Outputs out = FaceRecognitionJob.build(cfg, in.frames());
        CloseableIterator<AnnotatedFrame> annotated = out.annotated().collectAsync();
        CloseableIterator<DeadLetter> dead =
                in.deadLetters().union(out.deadLetters()).collectAsync();
        var client = env.executeAsync("bad-video-test");
        var framesF = JobTestSupport.drain(annotated);
        var deadF = JobTestSupport.drain(dead);
        List<AnnotatedFrame> frames = framesF.get();
        List<DeadLetter> deadLetters = deadF.get();
        client.getJobExecutionResult().get();
        deadLetters.forEach(
                d ->
                        System.out.println(
                                "dead letter: "
                                        + d.getSource()
                                        + ": "
                                        + d.getErrorClass()
                                        + ": "
                                        + d.getErrorMessage()));
        assertThat(frames).filteredOn(f -> f.getCameraId().equals("good")).hasSize(5);
        assertThat(deadLetters).hasSize(3);
        assertThat(deadLetters)
                .extracting(DeadLetter::getSource)
                .anyMatch(s -> s.contains("cut.mp4"));
        assertThat(deadLetters)
                .extracting(DeadLetter::getSource)
                .anyMatch(s -> s.contains("notes.mp4"));
        assertThat(deadLetters)
                .extracting(DeadLetter::getSource)
                .anyMatch(s -> s.contains("rtsp://127.0.0.1:1"));
    }
}
