package io.facestream.job;

import static io.facestream.job.FacestreamOptions.*;

import io.facestream.replay.Replay;
import io.facestream.replay.ReplayInputs;
import io.facestream.replay.ReplayJob;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of the job jar: {@code flink run -c io.facestream.job.FacestreamJob
 * facestream-job.jar [--mode stream|replay] --config FILE [--set key=value]...}. Reads the
 * configuration; in {@code stream} mode (the default) wires the configured sources and sinks around
 * {@link FaceRecognitionJob} and runs it; in {@code replay} mode runs {@link Replay} (the same
 * graph as a bounded job over {@code replay.inputs}) and writes its report to {@code replay.out} on
 * the client. The configuration is logged with secrets masked and never put into the job's global
 * parameters.
 */
public final class FacestreamJob {
    private static final Logger LOG = LoggerFactory.getLogger(FacestreamJob.class);

    private FacestreamJob() {}

    /** What the jar runs: the streaming job, or a replay of recorded video with a report. */
    public enum Mode {
        STREAM,
        REPLAY
    }

    /** Parsed command line. */
    public record Args(Mode mode, JobConfig config) {}

    public static void main(String[] args) throws Exception {
        Args a = parse(args);
        JobConfig cfg = a.config();
        if (a.mode() == Mode.STREAM && cfg.io().sinks().isEmpty()) {
            // Tests may collect the outputs; a submitted job without a sink would compute for
            // nothing (Flink refuses it later with a message about an empty topology).
            throw new IllegalArgumentException(
                    "no output: set kafka.bootstrap-servers (Kafka topics) and/or output.dir"
                            + " (local files), or sink.types with their keys");
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        if (a.mode() == Mode.REPLAY) {
            LOG.info("facestream replay configuration: {}", cfg);
            Replay.Summary s = Replay.run(env, cfg, new LoggedProgress(), LOG::warn);
            // the client's console: where `flink run` users look
            System.out.println(s.line());
            if (s.failed() > 0) {
                throw new IllegalStateException(
                        s.failed() + " of " + s.videos() + " videos failed; see the report");
            }
            return;
        }
        configure(env, cfg);
        wire(env, cfg);
        env.execute(cfg.get(JOB_NAME));
    }

    /** {@code --config FILE} and any number of {@code --set key=value}. */
    public static JobConfig parseArgs(String[] args) {
        return parse(args).config();
    }

    /** {@code [--mode stream|replay] [--config FILE] [--set key=value]...}. */
    public static Args parse(String[] args) {
        Path file = null;
        Mode mode = Mode.STREAM;
        List<String> sets = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config" -> file = Path.of(value(args, ++i, "--config"));
                case "--set" -> sets.add(value(args, ++i, "--set"));
                case "--mode" -> {
                    String m = value(args, ++i, "--mode");
                    try {
                        mode = Mode.valueOf(m.toUpperCase(Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(
                                "--mode must be stream or replay, got '" + m + "'", e);
                    }
                }
                default ->
                        throw new IllegalArgumentException(
                                "unknown argument '"
                                        + args[i]
                                        + "'; use [--mode stream|replay] --config FILE and --set"
                                        + " key=value");
            }
        }
        return new Args(mode, JobConfig.load(file, sets));
    }

    /** Progress of a replay as log lines, at most one every 10 s. */
    private static final class LoggedProgress implements Replay.Progress {
        private int total;
        private long lastLog;

        @Override
        public void start(ReplayInputs in, ReplayJob.Settings s) {
            total = in.videos().stream().mapToInt(v -> ReplayJob.expectedFrames(v, s)).sum();
            LOG.info("replaying {} videos, about {} frames", in.videos().size(), total);
        }

        @Override
        public void update(Map<String, Integer> framesPerVideo) {
            long now = System.currentTimeMillis();
            if (now - lastLog >= 10_000) {
                lastLog = now;
                int done = framesPerVideo.values().stream().mapToInt(Integer::intValue).sum();
                LOG.info("replay progress: {}/{} frames {}", done, total, framesPerVideo);
            }
        }
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    /** Parallelism, exactly-once checkpoints, no Kryo fallback, and the network buffer timeout. */
    public static void configure(StreamExecutionEnvironment env, JobConfig cfg) {
        env.setParallelism(cfg.get(PARALLELISM));
        env.enableCheckpointing(
                cfg.get(CHECKPOINT_INTERVAL).toMillis(), CheckpointingMode.EXACTLY_ONCE);
        org.apache.flink.configuration.Configuration c =
                new org.apache.flink.configuration.Configuration();
        c.set(org.apache.flink.configuration.PipelineOptions.GENERIC_TYPES, false);
        c.set(
                org.apache.flink.configuration.ExecutionOptions.BUFFER_TIMEOUT,
                cfg.get(BUFFER_TIMEOUT));
        env.configure(c);
        LOG.info("facestream configuration: {}", cfg);
    }

    /**
     * Sources → graph → sinks, all from configuration; logs the chosen source and sinks and the
     * slots the job needs.
     */
    public static FaceRecognitionJob.Outputs wire(StreamExecutionEnvironment env, JobConfig cfg) {
        LOG.info(
                "facestream source {}, sinks {}; {}",
                cfg.io().source(),
                cfg.io().sinks(),
                SlotGroups.describe(cfg));
        Sources.Input in = Sources.from(env, cfg);
        FaceRecognitionJob.Outputs out = FaceRecognitionJob.build(cfg, in.frames());
        Sinks.attach(cfg, out, in.deadLetters().union(out.deadLetters()));
        return out;
    }
}
