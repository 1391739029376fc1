package io.facestream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.facestream.bench.StageMetrics.StageAges;
import io.facestream.job.FaceRecognitionJob;
import io.facestream.job.FacestreamJob;
import io.facestream.job.JobConfig;
import io.facestream.job.LocalCluster;
import io.facestream.job.SlotGroups;
import io.facestream.schema.Frame;
import io.facestream.schema.FrameEncoding;
import io.facestream.testing.LocalRedis;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.junit.jupiter.api.Test;

/**
 * The job's {@code frameAgeMs} histograms as the bench reads them: the production graph on a local
 * MiniCluster (parallelism 2, real models, a real Redis 8) over the first frames of the sample
 * clip, with {@link StageMetrics} as the cluster's metric reporter.
 */
class StageMetricsITCase {
    static final int FRAMES = 24;

    @Test
    void everyStageReportsEachFramesAgeSinceCapture() throws Exception {
        Path clip =
                Path.of(System.getProperty("facestream.project.root", "."))
                        .resolve("../shared/data/video/hamilton_clip.mp4")
                        .normalize();
        BenchInput in = BenchInput.load(clip, FRAMES, 90);
        long start = System.currentTimeMillis();
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < FRAMES; i++) {
            frames.add(
                    Frame.newBuilder()
                            .setCameraId("cam-0")
                            .setSequence(i)
                            .setTimestamp(Instant.ofEpochMilli(start))
                            .setWidth(in.width())
                            .setHeight(in.height())
                            .setEncoding(FrameEncoding.JPEG)
                            .setData(ByteBuffer.wrap(in.jpegs().get(i)))
                            .build());
        }
        Map<String, StageAges> stages;
        try (LocalRedis redis = LocalRedis.start()) {
            JobConfig cfg =
                    JobConfig.load(
                            null,
                            List.of(
                                    "source.uris=bench-generator",
                                    "redis.url=" + redis.url(),
                                    "gallery.name=empty",
                                    "parallelism=2"));
            Configuration conf = new Configuration(cfg.conf());
            conf.set(TaskManagerOptions.NUM_TASK_SLOTS, SlotGroups.slots(cfg));
            conf.set(PipelineOptions.GENERIC_TYPES, false);
            StageMetrics.configure(conf);
            StageMetrics.clear(0);
            StreamExecutionEnvironment env = LocalCluster.environment(conf, cfg.conf());
            FacestreamJob.configure(env, cfg);
            var input = env.fromData(frames, new AvroTypeInfo<>(Frame.class)).setParallelism(1);
            FaceRecognitionJob.build(cfg, input).identities().sinkTo(new DiscardingSink<>());
            env.execute("stage-metrics-test");
            stages = StageMetrics.agesSinceMark();
        }
        long elapsed = System.currentTimeMillis() - start;
        System.err.print(StageSplit.describe(stages));

        assertThat(stages).containsKeys(StageSplit.PIPELINE.toArray(String[]::new));
        assertThat(stages.get("detect-align").subtasks()).isEqualTo(2);
        for (String frameStage : List.of("detect-align", "tracker", "track-assembler")) {
            StageAges a = stages.get(frameStage);
            assertThat(a.values()).as(frameStage).hasSize(FRAMES);
            assertThat(a.recorded()).as(frameStage).isEqualTo(FRAMES);
            assertThat(a.warmUpIn()).isFalse();
            assertThat(a.values()).as(frameStage).allMatch(v -> v >= 0 && v <= elapsed);
        }
        // New tracks are embedded at once: some faces, each after its frame was detected.
        List<Long> embedded = stages.get("embed-batcher").values();
        assertThat(embedded).isNotEmpty();
        // Each frame leaves a later stage no younger than an earlier one, so neither does the
        // n-th youngest.
        List<Long> detect = sorted(stages.get("detect-align").values());
        List<Long> tracker = sorted(stages.get("tracker").values());
        List<Long> assembler = sorted(stages.get("track-assembler").values());
        for (int i = 0; i < FRAMES; i++) {
            assertThat(tracker.get(i)).isGreaterThanOrEqualTo(detect.get(i));
            assertThat(assembler.get(i)).isGreaterThanOrEqualTo(tracker.get(i));
        }
        assertThat(Collections.min(embedded)).isGreaterThanOrEqualTo(detect.get(0));
    }

    private static List<Long> sorted(List<Long> v) {
        List<Long> s = new ArrayList<>(v);
        Collections.sort(s);
        return s;
    }
}
