package io.facestream.cli;

import io.facestream.job.FacestreamOptions;
import io.facestream.job.JobConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code facestream run --config FILE [--set key=value]...}: the streaming job with any
 * configuration on a local MiniCluster (the same graph {@code flink run} submits).
 */
@Command(name = "run", description = "Run the face-recognition job locally with a configuration.")
final class RunCommand implements Callable<Integer> {
    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "Config file of 'key: value' lines.")
    Path config;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "Overrides a config key (repeatable).")
    List<String> sets = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        JobConfig cfg = JobConfig.load(config, sets);
        int exitCode = LocalJob.run(cfg);
        cfg.conf()
                .getOptional(FacestreamOptions.OUTPUT_DIR)
                .ifPresent(
                        d -> {
                            try {
                                LocalJob.printSummary(Path.of(d, "identities.jsonl"));
                            } catch (java.io.IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        });
        return exitCode;
    }
}
