package io.facestream.cli;

import io.facestream.job.FacestreamOptions;
import io.facestream.job.JobConfig;
import io.facestream.replay.AppearanceMerger;
import io.facestream.replay.ReplayInputs;
import io.facestream.replay.ReplayJob;
import io.facestream.replay.ReplayReport;
import io.facestream.replay.ReplayResult;
import io.facestream.schema.AnnotatedFrame;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.NettyShuffleEnvironmentOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code facestream replay --gallery NAME VIDEO_OR_FOLDER... --out DIR}: the streaming job's graph
 * as a bounded (batch) job over recorded video on a local MiniCluster, then a report of who appears
 * where and when ({@link ReplayReport}).
 */
@Command(
        name = "replay",
        description =
                "Identify faces in recorded video files as a bounded job and write a report"
                        + " (appearances.csv/.json, thumbnails, report.html).")
final class ReplayCommand implements Callable<Integer> {
    @Mixin ModelOptionsMixin models = new ModelOptionsMixin();
    @Mixin RedisMixin redis = new RedisMixin();

    @Parameters(arity = "1..*", paramLabel = "VIDEO_OR_FOLDER", description = "Videos or folders.")
    List<Path> inputs;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Report folder.")
    Path out;

    @Option(
            names = "--from",
            paramLabel = "DURATION",
            description = "Start of the part to read, media time (e.g. 90s, 1500ms; default 0).")
    String from;

    @Option(
            names = "--to",
            paramLabel = "DURATION",
            description = "End of the part to read, media time (default: the end).")
    String to;

    @Option(
            names = "--fps",
            defaultValue = "0",
            description = "Frames per second to sample (default: every frame).")
    double fps;

    @Option(
            names = "--max-gap",
            defaultValue = "1000",
            paramLabel = "MS",
            description =
                    "Sightings at most this far apart merge into one appearance (default:"
                            + " ${DEFAULT-VALUE} ms).")
    long maxGapMs;

    @Option(
            names = "--parallelism",
            defaultValue = "1",
            description = "Job parallelism (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(
            names = "--mode",
            defaultValue = "BATCH",
            description = "Flink runtime mode: BATCH or STREAMING (default: ${DEFAULT-VALUE}).")
    RuntimeExecutionMode mode;

    @Override
    public Integer call() throws Exception {
        ReplayReport.checkWritable(out); // before models, Redis or the job
        ReplayInputs in = ReplayInputs.of(inputs);
        in.skipped().forEach(s -> System.err.println("skipped " + s.path() + ": " + s.reason()));
        redis.open().close(); // starts the local Redis when needed; fails early if unreachable
        List<String> sets =
                new ArrayList<>(ReplayJob.baseConfig(redis.url, redis.gallery, parallelism));
        sets.add("gallery.backend=" + redis.backend);
        if (models.detector != null) {
            sets.add("detect.model=" + models.detector);
        }
        if (models.embedder != null) {
            sets.add("embed.model=" + models.embedder);
        }
        if (models.modelsDir != null) {
            sets.add("models.dir=" + models.modelsDir);
        }
        JobConfig cfg = JobConfig.load(null, sets);
        long fromMs = from == null ? 0 : mediaTime(from, "--from");
        long toMs =
                to == null ? io.facestream.flink.source.VideoSplit.TO_END : mediaTime(to, "--to");
        var settings = new ReplayJob.Settings(fromMs, toMs, fps, mode);

        Progress progress = new Progress(in, settings);
        Configuration conf = new Configuration();
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, 3 * parallelism + 1);
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        // Blocking (batch) shuffles compress with LZ4, which flink-dist ships but the CLI's
        // classpath lacks; locally the data never leaves the machine, so it is not worth adding.
        conf.set(
                NettyShuffleEnvironmentOptions.SHUFFLE_COMPRESSION_CODEC,
                NettyShuffleEnvironmentOptions.CompressionCodec.NONE);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(conf);
        ReplayResult result = ReplayJob.run(env, cfg, in, settings, progress::frame);

        var entries =
                ReplayReport.entries(
                        result, new AppearanceMerger(maxGapMs, AppearanceMerger.DEFAULT_MIN_IOU));
        Path html =
                new ReplayReport(out).write(result, entries, cfg.get(FacestreamOptions.GALLERY));
        long frames = entries.stream().mapToLong(ReplayReport.VideoEntry::framesDone).sum();
        long failed = entries.stream().filter(ReplayReport.VideoEntry::failed).count();
        entries.stream()
                .filter(ReplayReport.VideoEntry::failed)
                .forEach(e -> System.err.println("failed " + e.video().path() + ": " + e.errors()));
        double mediaS =
                in.videos().stream().mapToLong(v -> Math.max(0, v.durationMs())).sum() / 1000.0;
        System.out.printf(
                Locale.ROOT,
                "replayed %d videos (%d failed, %d skipped): %d frames in %.1f s (%.1f fps, %.2fx"
                        + " real time), %d appearances; report %s%n",
                in.videos().size(),
                failed,
                in.skipped().size(),
                frames,
                result.seconds(),
                frames / Math.max(1e-9, result.seconds()),
                mediaS / Math.max(1e-9, result.seconds()),
                entries.stream().mapToLong(e -> e.appearances().size()).sum(),
                html.toAbsolutePath());
        return failed > 0 ? 2 : 0;
    }

    private static long mediaTime(String value, String flag) {
        try {
            return org.apache.flink.util.TimeUtils.parseDuration(value).toMillis();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    flag + " expects a media time such as 90s or 1500ms, got '" + value + "'", e);
        }
    }

    /** A bar per video and one overall, fed by annotated frames as the job emits them. */
    private static final class Progress {
        private final Map<String, ProgressBar> bars = new HashMap<>();
        private final Map<String, Integer> totals = new HashMap<>();
        private final Map<String, Integer> done = new HashMap<>();
        private final ProgressBar overall = new ProgressBar(System.err, "all videos");
        private final long t0 = System.nanoTime();
        private int total;
        private int all;

        Progress(ReplayInputs in, ReplayJob.Settings s) {
            for (ReplayInputs.Video v : in.videos()) {
                int n = expectedFrames(v, s);
                totals.put(v.id(), n);
                total += n;
                bars.put(v.id(), new ProgressBar(System.err, v.id()));
            }
        }

        /** Frames the source will emit: the trimmed part at the sampled rate (an estimate). */
        static int expectedFrames(ReplayInputs.Video v, ReplayJob.Settings s) {
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

        synchronized void frame(AnnotatedFrame f) {
            int d = done.merge(f.getCameraId(), 1, Integer::sum);
            all++;
            double fps = all / Math.max(1e-9, (System.nanoTime() - t0) / 1e9);
            String rate = String.format(Locale.ROOT, "%.1f fps", fps);
            int t = Math.max(d, totals.getOrDefault(f.getCameraId(), d));
            bars.get(f.getCameraId()).update(d, t, Path.of(rate));
            overall.update(
                    Math.min(all, Math.max(all, total)), Math.max(all, total), Path.of(rate));
        }
    }
}
