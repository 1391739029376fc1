package io.facestream.bench;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The Markdown that {@code bench pipeline} prints and appends to {@code docs/benchmarks.md}: how it
 * was run, a row per repetition with the median and range of each column, the camera scaling table,
 * and whatever extra tables the run made; and its last, machine-readable {@code bench:} line.
 */
public final class PipelineReport {
    private PipelineReport() {}

    /** How the run was made, for the report's header. */
    public record Setup(
            BenchInput input,
            int parallelism,
            int threads,
            int loops,
            int warmUpLoops,
            double load,
            String machine,
            String commit,
            String command) {}

    /** One row of the scaling table: N cameras at parallelism q. */
    public record Scaling(int cameras, int parallelism, Rate rate) {}

    public static String markdown(
            Setup s, List<Rep> reps, List<Scaling> scaling, String extraTables) {
        StringBuilder sb = new StringBuilder();
        sb.append(
                String.format(
                        Locale.ROOT,
                        "%n## Pipeline: job vs model-compute bound vs seed-style loop — %s%n%n"
                                + "Machine: %s. Commit %s. Command: `bin/facestream bench pipeline %s`."
                                + " Input: %d frames %dx%d of %s (JPEG q90). Job parallelism %d,"
                                + " %d ONNX thread(s) per operator; bound: %d workers (one per core)"
                                + " with the same models and threads, frames decoded and faces"
                                + " aligned beforehand; seed loop: 1 thread, ONNX on all cores"
                                + " with the job's session settings, per frame decode, detect,"
                                + " align, one batched embed call, cosine against the gallery"
                                + " in memory. CPU ms = this JVM's CPU time per frame. Latency at %.0f %% of the"
                                + " job's measured maximum; job frames in a fixed shuffled order"
                                + " (see FrameGenerator), unmeasured job run(s) first (see the command); each job run"
                                + " measured over %d passes over the clip after %d unmeasured"
                                + " one(s) in the same run.%n%n",
                        Instant.now().toString().substring(0, 16).replace('T', ' '),
                        s.machine(),
                        s.commit(),
                        s.command(),
                        s.input().frames(),
                        s.input().width(),
                        s.input().height(),
                        s.input().name(),
                        s.parallelism(),
                        s.threads(),
                        Runtime.getRuntime().availableProcessors(),
                        s.load() * 100,
                        s.loops(),
                        s.warmUpLoops()));
        sb.append(
                "| rep | bound fps | seed fps | job fps | job faces/s | job/bound | job/seed |"
                        + " paced at fps | p50 ms | p99 ms | dead letters | bound cores | job"
                        + " cores | bound CPU ms | seed CPU ms | job CPU ms |\n"
                        + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (int i = 0; i < reps.size(); i++) {
            Rep r = reps.get(i);
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "| %d | %.1f | %.1f | %.1f | %.1f | %.2f | %.2f | %.1f | %.0f | %.0f |"
                                    + " %d | %.2f | %.2f | %.1f | %.1f | %.1f |%n",
                            i + 1,
                            r.boundFps(),
                            r.seedFps(),
                            r.jobFps(),
                            r.jobFacesPerSecond(),
                            r.jobPerBound(),
                            r.jobPerSeed(),
                            r.pacedFps(),
                            r.p50Ms(),
                            r.p99Ms(),
                            r.deadLetters(),
                            r.boundCores(),
                            r.jobCores(),
                            r.boundCpuMs(),
                            r.seedCpuMs(),
                            r.jobCpuMs()));
        }
        sb.append(
                String.format(
                        Locale.ROOT,
                        "| **median** (min–max) | %s | %s | %s | %s | %s | %s | %s | %s | %s | | %s |"
                                + " %s | %s | %s | %s |%n",
                        spread(reps, Rep::boundFps, "%.1f"),
                        spread(reps, Rep::seedFps, "%.1f"),
                        spread(reps, Rep::jobFps, "%.1f"),
                        spread(reps, Rep::jobFacesPerSecond, "%.1f"),
                        spread(reps, Rep::jobPerBound, "%.2f"),
                        spread(reps, Rep::jobPerSeed, "%.2f"),
                        spread(reps, Rep::pacedFps, "%.1f"),
                        spread(reps, Rep::p50Ms, "%.0f"),
                        spread(reps, Rep::p99Ms, "%.0f"),
                        spread(reps, Rep::boundCores, "%.2f"),
                        spread(reps, Rep::jobCores, "%.2f"),
                        spread(reps, Rep::boundCpuMs, "%.1f"),
                        spread(reps, Rep::seedCpuMs, "%.1f"),
                        spread(reps, Rep::jobCpuMs, "%.1f")));
        sb.append(
                "\nCameras (N copies of the clip, interleaved) × parallelism, job at full speed:\n\n"
                        + "| cameras | parallelism | job fps | faces/s | fps per camera |\n"
                        + "|---:|---:|---:|---:|---:|\n");
        for (Scaling c : scaling) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "| %d | %d | %.1f | %.1f | %.1f |%n",
                            c.cameras(),
                            c.parallelism(),
                            c.rate().fps(),
                            c.rate().facesPerSecond(),
                            c.rate().fps() / c.cameras()));
        }
        sb.append(extraTables);
        return sb.toString();
    }

    /** The last output line, for scripts: medians over the repetitions. */
    public static String benchLine(List<Rep> reps) {
        return String.format(
                Locale.ROOT,
                "bench: bound_fps=%.2f seed_fps=%.2f job_fps=%.2f job/bound=%.3f"
                        + " job/seed=%.3f p50_ms=%.0f p99_ms=%.0f bound_cpu_ms=%.1f"
                        + " seed_cpu_ms=%.1f job_cpu_ms=%.1f",
                median(reps, Rep::boundFps),
                median(reps, Rep::seedFps),
                median(reps, Rep::jobFps),
                median(reps, Rep::jobPerBound),
                median(reps, Rep::jobPerSeed),
                median(reps, Rep::p50Ms),
                median(reps, Rep::p99Ms),
                median(reps, Rep::boundCpuMs),
                median(reps, Rep::seedCpuMs),
                median(reps, Rep::jobCpuMs));
    }

    public static double median(List<Rep> reps, ToDoubleFunction<Rep> f) {
        double[] v = reps.stream().mapToDouble(f).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static String spread(List<Rep> reps, ToDoubleFunction<Rep> f, String fmt) {
        double[] v = reps.stream().mapToDouble(f).sorted().toArray();
        return String.format(
                Locale.ROOT,
                fmt + " (" + fmt + "–" + fmt + ")",
                median(reps, f),
                v[0],
                v[v.length - 1]);
    }
}
