package io.facestream.cli;

import picocli.CommandLine.Command;

/**
 * {@code facestream bench ...}: benchmarks (not tests); each appends its table to
 * docs/benchmarks.md.
 */
@Command(
        name = "bench",
        description = "Benchmarks; results are printed and appended to docs/benchmarks.md.",
        subcommands = {
            StageBench.class,
            PipelineBench.class,
            SoakBench.class,
            FilterBenchCommand.class
        })
final class BenchCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }
}
