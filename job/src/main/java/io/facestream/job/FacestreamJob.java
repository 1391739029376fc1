package io.facestream.job;

import static io.facestream.job.FacestreamOptions.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of the job jar for the streaming job: {@code flink run -c
 * io.facestream.job.FacestreamJob facestream-job.jar --config FILE [--set key=value]...}. Reads the
 * configuration, wires the configured sources and sinks around {@link FaceRecognitionJob} and runs
 * it. The configuration is logged with secrets masked and never put into the job's global
 * parameters. A replay of recorded video has its own entry point in the same jar ({@code
 * io.facestream.replay.Replay}), which builds on this package; this package knows nothing of it.
 */
public final class FacestreamJob {
    private static final Logger LOG = LoggerFactory.getLogger(FacestreamJob.class);

    /** What to tell someone who asks this entry point for a replay. */
    static final String REPLAY_HINT =
            "a replay runs with its own entry point: flink run -c io.facestream.replay.Replay"
                    + " facestream-job.jar --config FILE --set replay.inputs=... --set"
                    + " replay.out=...";

    private FacestreamJob() {}

    public static void main(String[] args) throws Exception {
        JobConfig cfg = parseArgs(args);
        if (cfg.io().sinks().isEmpty()) {
            // Tests may collect the outputs; a submitted job without a sink would compute for
            // nothing (Flink refuses it later with a message about an empty topology).
            throw new IllegalArgumentException(
                    "no output: set kafka.bootstrap-servers (Kafka topics) and/or output.dir"
                            + " (local files), or sink.types with their keys");
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        configure(env, cfg);
        wire(env, cfg);
        env.execute(cfg.get(JOB_NAME));
    }

    /**
     * {@code [--config FILE] [--set key=value]...}; {@code --mode stream} is accepted for older
     * command lines, {@code --mode replay} is refused with the replay's entry point.
     */
    public static JobConfig parseArgs(String[] args) {
        Path file = null;
        List<String> sets = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config" -> file = Path.of(value(args, ++i, "--config"));
                case "--set" -> sets.add(value(args, ++i, "--set"));
                case "--mode" -> {
                    String m = value(args, ++i, "--mode");
                    if (!m.equalsIgnoreCase("stream")) {
                        throw new IllegalArgumentException(
                                "--mode " + m + " is not run here; " + REPLAY_HINT);
                    }
                }
                default ->
                        throw new IllegalArgumentException(
                                "unknown argument '"
                                        + args[i]
                                        + "'; use --config FILE and --set key=value");
            }
        }
        return JobConfig.load(file, sets);
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
