package io.facestream.replay;

import io.facestream.flink.source.VideoSource;
import io.facestream.flink.source.VideoSourceBuilder;
import io.facestream.flink.source.VideoSourceOptions;
import io.facestream.flink.source.VideoSplit;
import io.facestream.job.FaceRecognitionJob;
import io.facestream.job.JobConfig;
import io.facestream.job.Sources;
import io.facestream.schema.AnnotatedFrame;
import io.facestream.schema.DeadLetter;
import io.facestream.schema.FaceIdentity;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * Runs the streaming job's own graph ({@link FaceRecognitionJob#build}) over a bounded {@link
 * VideoSource} with one split per file (camera id = the video's id), and collects identities,
 * annotated frames and dead letters into a {@link ReplayResult}. The mode is {@link
 * RuntimeExecutionMode#BATCH} by default: every source split is a file, so the source is bounded,
 * and the graph's keyed state and timers work per key in batch (the end-of-input event-time timers
 * fire when a key's input ends). No checkpoints: a replay is re-run from the start instead.
 */
public final class ReplayJob {
    /**
     * @param fromMs start of the part of each video to read, ms after its first frame
     * @param toMs end (exclusive), or {@link VideoSplit#TO_END}
     * @param maxFps frames per second to keep ({@code 0} = every frame)
     */
    public record Settings(long fromMs, long toMs, double maxFps, RuntimeExecutionMode mode) {
        public static Settings defaults() {
            return new Settings(0, VideoSplit.TO_END, 0, RuntimeExecutionMode.BATCH);
        }
    }

    private ReplayJob() {}

    /**
     * Builds and runs the replay on {@code env}, blocking until the job ends. {@code onFrame} is
     * called with every annotated frame as it arrives (progress), from a collector thread.
     */
    public static ReplayResult run(
            StreamExecutionEnvironment env,
            JobConfig cfg,
            ReplayInputs inputs,
            Settings settings,
            Consumer<AnnotatedFrame> onFrame)
            throws Exception {
        Configuration c = new Configuration();
        c.set(PipelineOptions.GENERIC_TYPES, false);
        env.configure(c);
        env.setRuntimeMode(settings.mode());
        env.setParallelism(cfg.get(io.facestream.job.FacestreamOptions.PARALLELISM));

        VideoSourceBuilder b =
                VideoSource.builder()
                        .options(VideoSourceOptions.builder().maxFps(settings.maxFps()).build());
        for (ReplayInputs.Video v : inputs.videos()) {
            // --from/--to count from the first frame; the source reads container media time
            long to =
                    settings.toMs() == VideoSplit.TO_END
                            ? VideoSplit.TO_END
                            : settings.toMs() + v.startMs();
            b.addFile(v.path(), v.id(), settings.fromMs() + v.startMs(), to);
        }
        Sources.Input in = Sources.video(env, b.build());
        FaceRecognitionJob.Outputs out = FaceRecognitionJob.build(cfg, in.frames());
        CloseableIterator<FaceIdentity> ids = out.identities().collectAsync();
        CloseableIterator<AnnotatedFrame> frames = out.annotated().collectAsync();
        CloseableIterator<DeadLetter> dead =
                in.deadLetters().union(out.deadLetters()).collectAsync();

        ReplayResult result = new ReplayResult(inputs);
        long t0 = System.nanoTime();
        var client = env.executeAsync("facestream-replay");
        // Each collect sink waits for its reader, so all three are read at once.
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            var a = drain(pool, ids, result::add);
            var f =
                    drain(
                            pool,
                            frames,
                            x -> {
                                result.add(x);
                                onFrame.accept(x);
                            });
            var d = drain(pool, dead, result::add);
            try {
                CompletableFuture.allOf(a, f, d).get();
            } catch (ExecutionException e) {
                // a failed job also breaks the collectors; its own error says why
                awaitJob(client);
                throw e;
            }
            awaitJob(client);
        } finally {
            pool.shutdownNow();
        }
        result.finish((System.nanoTime() - t0) / 1e9);
        return result;
    }

    private static void awaitJob(org.apache.flink.core.execution.JobClient client)
            throws InterruptedException {
        try {
            client.getJobExecutionResult().get();
        } catch (ExecutionException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new IllegalStateException("the replay job failed: " + root, e);
        }
    }

    private static <T> CompletableFuture<Void> drain(
            ExecutorService pool, Iterator<T> it, Consumer<T> sink) {
        return CompletableFuture.runAsync(() -> it.forEachRemaining(sink), pool);
    }

    /** The overrides a replay's {@link JobConfig} needs besides the gallery and models. */
    public static List<String> baseConfig(String redisUrl, String gallery, int parallelism) {
        List<String> sets = new ArrayList<>();
        sets.add("source.uris=replay"); // validated as present; the replay builds its own source
        sets.add("redis.url=" + redisUrl);
        sets.add("gallery.name=" + gallery);
        sets.add("parallelism=" + parallelism);
        return sets;
    }
}
