package io.facestream.bench;

import io.facestream.bench.StageMetrics.StageAges;
import io.facestream.flink.FrameAge;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A run's frame latency split by stage, from the job's own {@value FrameAge#METRIC} histograms
 * (read through {@link StageMetrics}) when the bench runs with {@code --stage-split}: per operator,
 * the age of a frame (ms since its capture) as it leaves the operator, 50th, 90th and 99th
 * percentile and maximum over the values recorded after the warm-up. Each stage's age includes the
 * stages before it, so the step from one row to the next is where the time went (percentiles do not
 * subtract exactly, but a p99 that jumps between two rows points at the stage between them).
 *
 * <p>The values of all subtasks of an operator are merged before the percentiles are taken, so the
 * percentiles are exact over the values the histograms still hold ({@value FrameAge#WINDOW} per
 * subtask); the {@code embed-batcher} row counts embedded faces, not frames.
 */
public final class StageSplit {
    /** The pipeline's operators in the order a frame passes them; others come after. */
    static final List<String> PIPELINE =
            List.of("detect-align", "tracker", "embed-batcher", "track-assembler");

    private StageSplit() {}

    static String describe(Map<String, StageAges> stages) {
        Map<String, StageAges> rest = new TreeMap<>(stages);
        List<Map.Entry<String, StageAges>> rows = new ArrayList<>();
        for (String op : PIPELINE) {
            StageAges a = rest.remove(op);
            if (a != null) {
                rows.add(Map.entry(op, a));
            }
        }
        rows.addAll(rest.entrySet());
        StringBuilder out = new StringBuilder();
        out.append(
                String.format(
                        Locale.ROOT,
                        "  frame age leaving each stage (%s, ms since capture, after the warm-up;"
                                + " subtasks' values merged):%n"
                                + "    %-16s %8s %7s %6s %6s %6s %6s%n",
                        FrameAge.METRIC,
                        "stage",
                        "subtasks",
                        "values",
                        "p50",
                        "p90",
                        "p99",
                        "max"));
        boolean anyWarmUp = false;
        for (var row : rows) {
            StageAges a = row.getValue();
            long[] v = a.values().stream().mapToLong(Long::longValue).sorted().toArray();
            if (v.length == 0) {
                continue;
            }
            anyWarmUp |= a.warmUpIn();
            out.append(
                    String.format(
                            Locale.ROOT,
                            "    %-16s %8d %7d %6d %6d %6d %6d%s%s%n",
                            row.getKey(),
                            a.subtasks(),
                            v.length,
                            percentile(v, 0.5),
                            percentile(v, 0.9),
                            percentile(v, 0.99),
                            v[v.length - 1],
                            v.length < a.recorded()
                                    ? String.format(
                                            Locale.ROOT, "  (last of %d recorded)", a.recorded())
                                    : "",
                            a.warmUpIn() ? " *" : ""));
        }
        if (anyWarmUp) {
            out.append(
                    String.format(
                            Locale.ROOT,
                            "    * a subtask recorded more than its window of %d values and fewer"
                                    + " than that after the warm-up: some of the warm-up's"
                                    + " latest are in%n",
                            FrameAge.WINDOW));
        }
        return out.toString();
    }

    /** Nearest rank, as the bench's other percentiles. */
    static long percentile(long[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
