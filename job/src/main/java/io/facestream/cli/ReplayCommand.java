package io.facestream.cli;

import io.facestream.job.JobConfig;
import io.facestream.job.LocalCluster;
import io.facestream.replay.Replay;
import io.facestream.replay.ReplayInputs;
import io.facestream.replay.ReplayJob;
import io.facestream.replay.ReplayReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
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
            names = "--parallelism",
            defaultValue = "1",
            description = "Job parallelism (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(
            names = "--mode",
            defaultValue = "BATCH",
            description = "Flink runtime mode: BATCH or STREAMING (default: ${DEFAULT-VALUE}).")
    RuntimeExecutionMode mode;

    @Option(
            names = "--annotated-video",
            description = "Also write an annotated MP4 per video under DIR/videos/.")
    boolean annotatedVideo;

    @Option(
            names = "--unknowns",
            description =
                    "Give unknown people persistent pseudonyms (unknowns.enabled; stores their face"
                            + " templates in Redis, see the README) and group them by pseudonym in"
                            + " the report.")
    boolean unknowns;

    @Override
    public Integer call() throws Exception {
        ReplayReport.checkWritable(out); // before models, Redis or the job
        ConsoleLog.toFileIn(out);
        redis.open().close(); // starts the local Redis when needed; fails early if unreachable
        List<String> sets =
                new ArrayList<>(ReplayJob.baseConfig(redis.url, redis.gallery, parallelism));
        sets.add("gallery.backend=" + redis.backend);
        sets.addAll(models.jobSettings());
        sets.addAll(redis.jobSettings());
        sets.add("replay.inputs=" + String.join(";", inputs.stream().map(Path::toString).toList()));
        sets.add("replay.out=" + out);
        sets.add("replay.from=" + duration(from == null ? "0ms" : from, "--from"));
        if (to != null) {
            sets.add("replay.to=" + duration(to, "--to"));
        }
        sets.add("replay.fps=" + fps);
        sets.add("replay.runtime-mode=" + mode);
        sets.add("replay.annotated-video=" + annotatedVideo);
        if (unknowns) {
            sets.add("unknowns.enabled=true");
        }
        JobConfig cfg = JobConfig.load(null, sets);

        Configuration conf = new Configuration();
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, 3 * parallelism + 1);
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        // Accumulators (the progress bars' source) travel with heartbeats: report every second.
        conf.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofSeconds(1));
        // Blocking (batch) shuffles compress with LZ4, which flink-dist ships but the CLI's
        // classpath lacks; locally the data never leaves the machine, so it is not worth adding.
        conf.set(
                NettyShuffleEnvironmentOptions.SHUFFLE_COMPRESSION_CODEC,
                NettyShuffleEnvironmentOptions.CompressionCodec.NONE);
        StreamExecutionEnvironment env = LocalCluster.environment(conf, cfg.conf());
        Replay.Summary s = Replay.run(env, cfg, new Bars(), System.err::println);
        s.annotatedVideos().forEach(v -> System.err.println("annotated video " + v));
        System.out.println(s.line());
        return s.failed() > 0 ? 2 : 0;
    }

    /** Checks a media time such as 90s or 1500ms early, naming the flag. */
    private static String duration(String value, String flag) {
        try {
            return org.apache.flink.util.TimeUtils.parseDuration(value).toMillis() + "ms";
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    flag + " expects a media time such as 90s or 1500ms, got '" + value + "'", e);
        }
    }

    /** A bar per video and one overall, redrawn from the replay's progress reports. */
    private static final class Bars implements Replay.Progress {
        private final Map<String, ProgressBar> bars = new LinkedHashMap<>();
        private final Map<String, Integer> totals = new HashMap<>();
        private final Map<String, Integer> shown = new HashMap<>();
        private final ProgressBar overall = new ProgressBar(System.err, "all videos");
        private final long t0 = System.nanoTime();
        private int total;

        @Override
        public void start(ReplayInputs in, ReplayJob.Settings s) {
            for (ReplayInputs.Video v : in.videos()) {
                int n = ReplayJob.expectedFrames(v, s);
                totals.put(v.id(), n);
                total += n;
                bars.put(v.id(), new ProgressBar(System.err, v.id()));
            }
        }

        @Override
        public synchronized void update(Map<String, Integer> done) {
            int all = done.values().stream().mapToInt(Integer::intValue).sum();
            double fps = all / Math.max(1e-9, (System.nanoTime() - t0) / 1e9);
            Path rate = Path.of(String.format(Locale.ROOT, "%.1f fps", fps));
            for (var e : done.entrySet()) {
                ProgressBar bar = bars.get(e.getKey());
                if (bar == null || e.getValue().equals(shown.put(e.getKey(), e.getValue()))) {
                    continue;
                }
                int d = e.getValue();
                bar.update(d, Math.max(d, totals.getOrDefault(e.getKey(), d)), rate);
            }
            overall.update(all, Math.max(all, total), rate);
        }
    }
}
