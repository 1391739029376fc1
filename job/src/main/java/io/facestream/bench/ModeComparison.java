package io.facestream.bench;

import io.facestream.job.JobConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code bench pipeline --compare-modes}: the job in {@code track.mode} {@code tracked} and {@code
 * every-frame}, interleaved rep by rep on the same frames and gallery (ratios from one run are what
 * a noisy 2-core machine can compare): full-speed frames/s and CPU per frame, embeddings per
 * detected face, and frame→record latency paced at a share of each mode's own maximum.
 */
public final class ModeComparison {
    private ModeComparison() {}

    /** One rep of one mode. */
    public record Run(String mode, JobBench.Result max, double pacedFps, JobBench.Result paced) {}

    public static List<Run> run(
            Function<String, JobConfig> configForMode,
            Path framesFile,
            BenchInput in,
            JobBench.Span frames,
            int reps,
            double load)
            throws Exception {
        return run(
                configForMode,
                List.of("tracked", "every-frame"),
                framesFile,
                in,
                frames,
                reps,
                load);
    }

    /**
     * As {@link #run(Function, Path, BenchInput, JobBench.Span, int, double)} with the given arms,
     * run in this order each rep: {@code tracked}, {@code every-frame}, and any other label {@code
     * configForMode} knows (an A/B arm: tracked with other settings).
     */
    public static List<Run> run(
            Function<String, JobConfig> configForMode,
            List<String> modes,
            Path framesFile,
            BenchInput in,
            JobBench.Span frames,
            int reps,
            double load)
            throws Exception {
        // Warm-up, not counted: the JIT compiles both paths (other arms run the same code).
        for (String m : modes.subList(0, Math.min(2, modes.size()))) {
            JobBench.run(configForMode.apply(m), framesFile, in, 1, frames, 0);
        }
        List<Run> runs = new ArrayList<>();
        for (int r = 1; r <= reps; r++) {
            for (String m : modes) {
                JobConfig cfg = configForMode.apply(m);
                JobBench.Result max = JobBench.run(cfg, framesFile, in, 1, frames, 0);
                double rate = load * max.rate().fps();
                JobBench.Result paced = JobBench.run(cfg, framesFile, in, 1, frames, rate);
                runs.add(new Run(m, max, rate, paced));
                System.err.printf(
                        Locale.ROOT,
                        "rep %d %s: %.1f fps (%.2f cores, %.1f CPU ms/frame), %.3f embeddings per"
                                + " face; at %.1f fps p50 %.0f ms p99 %.0f ms (p99 before"
                                + " detect-align %.0f ms, after it %.0f ms)%n",
                        r,
                        m,
                        max.rate().fps(),
                        max.rate().cores(),
                        max.rate().cpuMsPerFrame(),
                        max.embeddedPerFace(),
                        rate,
                        paced.p50Ms(),
                        paced.p99Ms(),
                        paced.p99QueuedMs(),
                        paced.p99ProcessedMs());
            }
        }
        return runs;
    }

    /**
     * The markdown table: one row per rep and arm (with the p99 split at detect-align), then each
     * tracked arm's ÷ every-frame ratio per rep.
     */
    public static String markdown(List<Run> runs, String setup) {
        StringBuilder md = new StringBuilder();
        md.append("\n### Tracked vs every-frame (").append(setup).append(")\n\n");
        md.append(
                "| rep | mode | job fps | cores | CPU ms/frame | embeddings per face | paced fps |"
                        + " p50 ms | p99 ms | p99 before detect-align | p99 after it |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        Map<String, List<Double>> fps = new LinkedHashMap<>();
        long arms = runs.stream().map(Run::mode).distinct().count();
        int rep = 0;
        for (int i = 0; i < runs.size(); i++) {
            Run r = runs.get(i);
            if (i % arms == 0) {
                rep++;
            }
            fps.computeIfAbsent(r.mode(), k -> new ArrayList<>()).add(r.max().rate().fps());
            md.append(
                    String.format(
                            Locale.ROOT,
                            "| %d | %s | %.1f | %.2f | %.1f | %.3f | %.1f | %.0f | %.0f | %.0f |"
                                    + " %.0f |\n",
                            rep,
                            r.mode(),
                            r.max().rate().fps(),
                            r.max().rate().cores(),
                            r.max().rate().cpuMsPerFrame(),
                            r.max().embeddedPerFace(),
                            r.pacedFps(),
                            r.paced().p50Ms(),
                            r.paced().p99Ms(),
                            r.paced().p99QueuedMs(),
                            r.paced().p99ProcessedMs()));
        }
        List<Double> e = fps.getOrDefault("every-frame", List.of());
        for (var arm : fps.entrySet()) {
            if (arm.getKey().equals("every-frame")) {
                continue;
            }
            List<Double> t = arm.getValue();
            StringBuilder ratios = new StringBuilder();
            for (int i = 0; i < Math.min(t.size(), e.size()); i++) {
                ratios.append(ratios.length() == 0 ? "" : ", ")
                        .append(String.format(Locale.ROOT, "%.2f", t.get(i) / e.get(i)));
            }
            md.append("\n")
                    .append(arm.getKey())
                    .append(" ÷ every-frame job fps per rep: ")
                    .append(ratios)
                    .append("\n");
        }
        return md.toString();
    }
}
