package io.facestream.replay;

import io.facestream.flink.DetectAlignFunction;
import io.facestream.flink.source.VideoSource;
import io.facestream.flink.source.VideoSourceBuilder;
import io.facestream.flink.source.VideoSourceOptions;
import io.facestream.flink.source.VideoSplit;
import io.facestream.job.FaceRecognitionJob;
import io.facestream.job.FacestreamOptions;
import io.facestream.job.JobConfig;
import io.facestream.job.Sources;
import io.facestream.schema.AnnotatedFrame;
import io.facestream.schema.DeadLetter;
import io.facestream.schema.FaceAppearance;
import io.facestream.schema.FaceIdentity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.concurrent.ExecutorThreadFactory;

/**
 * Runs the streaming job's own graph ({@link FaceRecognitionJob#build}) over a bounded {@link
 * VideoSource} with one split per file (camera id = the video's id), and collects identities,
 * appearance events, annotated frames and dead letters into a {@link ReplayResult}. The mode is
 * {@link RuntimeExecutionMode#BATCH} by default: every source split is a file, so the source is
 * bounded, and the graph's keyed state and timers work per key in batch (the end-of-input
 * event-time timers fire when a key's input ends). No checkpoints: a replay is re-run from the
 * start instead.
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
     * Builds and runs the replay on {@code env}, blocking until the job ends. {@code onProgress}
     * gets the frames done so far per video id about once a second and once at the end, from a
     * polling thread: frames through detection, read from the job's {@code frames:<video>}
     * accumulators while it runs (in BATCH mode identities only come at the end, detection is the
     * first stage and the slowest; turn on {@code progress.accumulators}), or frames fully
     * identified when that is more. {@code keepAllFrames} keeps every frame's picture (annotated
     * videos), not just those with faces.
     */
    public static ReplayResult run(
            StreamExecutionEnvironment env,
            JobConfig cfg,
            ReplayInputs inputs,
            Settings settings,
            boolean keepAllFrames,
            Consumer<Map<String, Integer>> onProgress)
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
        CloseableIterator<FaceAppearance> apps = out.appearances().collectAsync();
        CloseableIterator<AnnotatedFrame> frames = out.annotated().collectAsync();
        CloseableIterator<DeadLetter> dead =
                in.deadLetters().union(out.deadLetters()).collectAsync();

        ReplayResult result = new ReplayResult(inputs, keepAllFrames);
        long t0 = System.nanoTime();
        var client = env.executeAsync(cfg.get(FacestreamOptions.JOB_NAME) + "-replay");
        // Each collect sink waits for its reader, so all four are read at once.
        ExecutorService pool = Executors.newFixedThreadPool(4);
        ScheduledExecutorService poller =
                Executors.newSingleThreadScheduledExecutor(
                        new ExecutorThreadFactory("replay-progress"));
        Map<String, Integer> detected = new ConcurrentHashMap<>();
        Runnable report = () -> onProgress.accept(progress(detected, result));
        poller.scheduleWithFixedDelay(
                () -> {
                    try {
                        accumulatedFrames(client.getAccumulators().get(5, TimeUnit.SECONDS))
                                .forEach((k, v) -> detected.merge(k, v, Math::max));
                    } catch (Exception e) {
                        // the job may be finishing; the next poll or the final report catches up
                    }
                    report.run();
                },
                1,
                1,
                TimeUnit.SECONDS);
        try {
            var a = drain(pool, ids, result::add);
            var ev = drain(pool, apps, result::add);
            var f = drain(pool, frames, result::add);
            var d = drain(pool, dead, result::add);
            try {
                CompletableFuture.allOf(a, ev, f, d).get();
            } catch (ExecutionException e) {
                // a failed job also breaks the collectors; its own error says why
                awaitJob(client);
                throw e;
            }
            awaitJob(client);
        } catch (Exception e) {
            result.close();
            throw e;
        } finally {
            pool.shutdownNow();
            poller.shutdownNow();
            poller.awaitTermination(5, TimeUnit.SECONDS);
        }
        report.run();
        result.finish((System.nanoTime() - t0) / 1e9);
        return result;
    }

    /**
     * Frames the source will emit for {@code v}: the trimmed part at the sampled rate (estimate).
     */
    public static int expectedFrames(ReplayInputs.Video v, Settings s) {
        if (v.frames() <= 0 || v.durationMs() <= 0) {
            return 0;
        }
        long end = Math.min(v.durationMs(), s.toMs());
        double part = Math.max(0, end - s.fromMs()) / (double) v.durationMs();
        double frames = v.frames() * part;
        if (s.maxFps() > 0 && v.fps() > s.maxFps()) {
            frames = frames * s.maxFps() / v.fps();
        }
        return (int) Math.max(1, Math.round(frames));
    }

    /** The {@code frames:<video>} accumulators among a job's accumulators. */
    static Map<String, Integer> accumulatedFrames(Map<String, Object> accumulators) {
        Map<String, Integer> out = new HashMap<>();
        accumulators.forEach(
                (name, value) -> {
                    if (name.startsWith(DetectAlignFunction.FRAMES_ACCUMULATOR)
                            && value instanceof Number n) {
                        out.put(
                                name.substring(DetectAlignFunction.FRAMES_ACCUMULATOR.length()),
                                n.intValue());
                    }
                });
        return out;
    }

    private static Map<String, Integer> progress(
            Map<String, Integer> detected, ReplayResult result) {
        Map<String, Integer> out = new HashMap<>(detected);
        result.framesDoneSnapshot().forEach((k, v) -> out.merge(k, v, Math::max));
        return out;
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
        sets.add("redis.url=" + redisUrl);
        sets.add("gallery.name=" + gallery);
        sets.add("parallelism=" + parallelism);
        return sets;
    }
}
