package io.facestream.bench;

import io.facestream.job.JobConfig;
import io.facestream.model.ModelOptions;
import io.facestream.model.ModelSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code bench pipeline --thread-cpu}: where the process's CPU goes per frame, by thread kind
 * ({@link ThreadCpu#kind}: Flink task per operator chain, GC, JIT, Flink runtime, the bench's own
 * threads), for the model-compute bound and the job at full speed, interleaved {@code reps} times
 * after one unmeasured job run. The bound's rows include the work it does before its clock starts
 * (decode, alignment) as separate rows, left out of its total.
 */
public final class CpuBreakdown {
    private CpuBreakdown() {}

    /**
     * One rep: the bound's and the job's rates and CPU ms per frame by thread kind; with an A/B
     * variant, its job run too (else null).
     */
    public record Run(
            Rate bound,
            Map<String, Double> boundKinds,
            Rate job,
            Map<String, Double> jobKinds,
            Rate jobB,
            Map<String, Double> jobBKinds) {}

    /**
     * An A/B variant of the job: run right after the job in every rep, with {@code cfg} and/or the
     * system property {@code property} set to true for its run.
     */
    public record Variant(String label, JobConfig cfg, String property) {}

    public static List<Run> run(
            JobConfig cfg,
            Path framesFile,
            BenchInput in,
            JobBench.Span jobFrames,
            int reps,
            ModelSpec detector,
            ModelSpec embedder,
            ModelOptions models,
            int boundThreads,
            int batch,
            Variant b)
            throws Exception {
        String was = System.getProperty(JobBench.THREAD_CPU);
        System.setProperty(JobBench.THREAD_CPU, "true");
        try {
            JobBench.run(cfg, framesFile, in, 1, jobFrames, 0); // JIT warm-up, not counted
            List<Run> runs = new ArrayList<>();
            for (int r = 1; r <= reps; r++) {
                ComputeBound.Detailed bd =
                        ComputeBound.detailed(in, detector, embedder, models, boundThreads, batch);
                JobBench.Result j = JobBench.run(cfg, framesFile, in, 1, jobFrames, 0);
                JobBench.Result v = b == null ? null : variant(b, cfg, framesFile, in, jobFrames);
                runs.add(
                        new Run(
                                bd.rate(),
                                bd.threadCpu(),
                                j.rate(),
                                j.threadCpu(),
                                v == null ? null : v.rate(),
                                v == null ? null : v.threadCpu()));
                System.err.printf(
                        Locale.ROOT,
                        "thread-cpu rep %d: bound %.1f CPU ms/frame, job %.1f CPU ms/frame%s%n",
                        r,
                        bd.rate().cpuMsPerFrame(),
                        j.rate().cpuMsPerFrame(),
                        v == null
                                ? ""
                                : String.format(
                                        Locale.ROOT,
                                        ", %s %.1f",
                                        b.label(),
                                        v.rate().cpuMsPerFrame()));
                j.threadCpu()
                        .forEach(
                                (k, ms) ->
                                        System.err.printf(Locale.ROOT, "  job %6.2f  %s%n", ms, k));
            }
            return runs;
        } finally {
            if (was == null) {
                System.clearProperty(JobBench.THREAD_CPU);
            } else {
                System.setProperty(JobBench.THREAD_CPU, was);
            }
        }
    }

    private static JobBench.Result variant(
            Variant b, JobConfig cfg, Path framesFile, BenchInput in, JobBench.Span jobFrames)
            throws Exception {
        if (b.property() != null) {
            System.setProperty(b.property(), "true");
        }
        try {
            return JobBench.run(b.cfg() != null ? b.cfg() : cfg, framesFile, in, 1, jobFrames, 0);
        } finally {
            if (b.property() != null) {
                System.clearProperty(b.property());
            }
        }
    }

    /** The median of each kind over the runs (a kind missing from a run counts 0 there). */
    static Map<String, Double> medians(List<Map<String, Double>> runs) {
        TreeSet<String> kinds = new TreeSet<>();
        runs.forEach(m -> kinds.addAll(m.keySet()));
        Map<String, Double> out = new TreeMap<>();
        for (String k : kinds) {
            double[] v = runs.stream().mapToDouble(m -> m.getOrDefault(k, 0.0)).sorted().toArray();
            out.put(
                    k,
                    v.length % 2 == 1
                            ? v[v.length / 2]
                            : (v[v.length / 2 - 1] + v[v.length / 2]) / 2);
        }
        return out;
    }

    /** Sum of the kinds that are threads of the process (not the bound's left-out work). */
    static double total(Map<String, Double> kinds) {
        return kinds.entrySet().stream()
                .filter(e -> !e.getKey().startsWith("left out"))
                .mapToDouble(Map.Entry::getValue)
                .sum();
    }

    /** A markdown table: one row per kind, bound and job medians, largest job rows first. */
    public static String markdown(List<Run> runs, String title, String variant) {
        Map<String, Double> bound = medians(runs.stream().map(Run::boundKinds).toList());
        Map<String, Double> job = medians(runs.stream().map(Run::jobKinds).toList());
        boolean ab = variant != null && runs.stream().allMatch(r -> r.jobBKinds() != null);
        Map<String, Double> jobB =
                ab ? medians(runs.stream().map(Run::jobBKinds).toList()) : Map.of();
        TreeSet<String> kinds = new TreeSet<>(bound.keySet());
        kinds.addAll(job.keySet());
        kinds.addAll(jobB.keySet());
        String[] order = kinds.toArray(String[]::new);
        Arrays.sort(
                order,
                (a, b) ->
                        a.startsWith("left out") != b.startsWith("left out")
                                ? (a.startsWith("left out") ? 1 : -1)
                                : Double.compare(
                                        job.getOrDefault(b, 0.0) + bound.getOrDefault(b, 0.0),
                                        job.getOrDefault(a, 0.0) + bound.getOrDefault(a, 0.0)));
        StringBuilder md = new StringBuilder();
        md.append("\n### ").append(title).append("\n\n");
        md.append("| thread kind | bound CPU ms/frame | job CPU ms/frame |")
                .append(ab ? " job, " + variant + " |" : "")
                .append("\n|---|---:|---:|")
                .append(ab ? "---:|" : "")
                .append('\n');
        for (String k : order) {
            md.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %s | %s |%s%n",
                            k,
                            cell(bound.get(k)),
                            cell(job.get(k)),
                            ab ? " " + cell(jobB.get(k)) + " |" : ""));
        }
        md.append(
                String.format(
                        Locale.ROOT,
                        "| **all threads** (sum of the rows above the left-out ones) | %.1f | %.1f"
                                + " |%s%n",
                        total(bound),
                        total(job),
                        ab ? String.format(Locale.ROOT, " %.1f |", total(jobB)) : ""));
        md.append(
                String.format(
                        Locale.ROOT,
                        "| bound + the work it leaves out | %.1f | |%s%n",
                        total(bound)
                                + bound.getOrDefault(ComputeBound.LEFT_OUT_DECODE, 0.0)
                                + bound.getOrDefault(ComputeBound.LEFT_OUT_ALIGN, 0.0),
                        ab ? " |" : ""));
        md.append("\nPer rep (process CPU ms per frame, fps):");
        for (int i = 0; i < runs.size(); i++) {
            Run r = runs.get(i);
            md.append(
                    String.format(
                            Locale.ROOT,
                            " %d: bound %.1f (%.1f fps), job %.1f (%.1f fps)%s;",
                            i + 1,
                            r.bound().cpuMsPerFrame(),
                            r.bound().fps(),
                            r.job().cpuMsPerFrame(),
                            r.job().fps(),
                            ab
                                    ? String.format(
                                            Locale.ROOT,
                                            ", %s %.1f (%.1f fps)",
                                            variant,
                                            r.jobB().cpuMsPerFrame(),
                                            r.jobB().fps())
                                    : ""));
        }
        md.append("\n");
        return md.toString();
    }

    private static String cell(Double v) {
        return v == null ? "" : String.format(Locale.ROOT, "%.2f", v);
    }
}
