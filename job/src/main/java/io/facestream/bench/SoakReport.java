package io.facestream.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * A soak's samples as Markdown (a table, per-camera totals, one verdict line per series) and CSV
 * (every sample, every camera). A series is <b>flat</b> when the mean of its last third of samples
 * is within the tolerance of the mean of its second third (the first third is warm-up: models
 * loading, JIT, the first checkpoints); the verdict also gives the least-squares slope per minute
 * over the last two thirds, so a slow climb shows even when it stays within the tolerance.
 */
public final class SoakReport {
    private SoakReport() {}

    /** A named series and how to print its values. */
    private record Series(String name, String unit, ToDoubleFunction<SoakSample> value) {}

    private static final List<Series> SERIES =
            List.of(
                    new Series("heap after GC", "MB", s -> s.heapMb()),
                    new Series("tracker state", "KB", s -> kb(s.trackerBytes())),
                    new Series("checkpoint size", "KB", s -> kb(s.checkpointBytes())),
                    new Series("max lag", "ms", s -> s.maxOf(SoakSample.Camera::lagMs)),
                    new Series("p99 frame→record", "ms", SoakSample::p99Ms));

    /** The verdict lines, one per series. */
    public static List<String> verdicts(List<SoakSample> samples, double tolerancePercent) {
        List<String> lines = new ArrayList<>();
        for (Series s : SERIES) {
            lines.add(verdict(s, samples, tolerancePercent));
        }
        return lines;
    }

    private static String verdict(Series s, List<SoakSample> samples, double tolerance) {
        List<double[]> points = new ArrayList<>(); // minutes, value
        for (SoakSample x : samples) {
            double v = s.value().applyAsDouble(x);
            if (v >= 0 && Double.isFinite(v)) {
                points.add(new double[] {x.seconds() / 60.0, v});
            }
        }
        if (points.size() < 3) {
            return String.format(
                    Locale.ROOT, "- %s: too few samples (%d)", s.name(), points.size());
        }
        int third = points.size() / 3;
        double second = mean(points.subList(third, 2 * third));
        double last = mean(points.subList(2 * third, points.size()));
        double change = second == 0 ? (last == 0 ? 0 : 100) : 100 * (last - second) / second;
        double slope = slope(points.subList(third, points.size()));
        boolean flat = Math.abs(change) <= tolerance;
        return String.format(
                Locale.ROOT,
                "- %s: **%s** — last third %.1f %s vs second third %.1f %s (%+.1f %%, tolerance"
                        + " %.0f %%); slope %+.2f %s/min over the last two thirds",
                s.name(),
                flat ? "flat" : (change > 0 ? "GROWING" : "falling"),
                last,
                s.unit(),
                second,
                s.unit(),
                change,
                tolerance,
                slope,
                s.unit());
    }

    /**
     * The samples as a Markdown table, at most {@code maxRows} evenly spaced rows plus the last.
     */
    public static String table(List<SoakSample> samples, int maxRows) {
        StringBuilder sb =
                new StringBuilder(
                        "| min | heap MB | tracker KB | checkpoint KB | checkpoints | in | processed"
                                + " | dropped | max lag s | frames | p50 ms | p99 ms |\n"
                                + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        int step = Math.max(1, (samples.size() + maxRows - 1) / maxRows);
        for (int i = 0; i < samples.size(); i++) {
            if (i % step != step - 1 && i != samples.size() - 1) {
                continue;
            }
            SoakSample s = samples.get(i);
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "| %.1f | %d | %.0f | %.0f | %d | %d | %d | %d | %.2f | %d | %.0f | %.0f"
                                    + " |%n",
                            s.seconds() / 60.0,
                            s.heapMb(),
                            kb(s.trackerBytes()),
                            kb(s.checkpointBytes()),
                            s.checkpoints(),
                            s.total(SoakSample.Camera::in),
                            s.total(SoakSample.Camera::processed),
                            s.total(SoakSample.Camera::dropped),
                            s.maxOf(SoakSample.Camera::lagMs) / 1000.0,
                            s.frames(),
                            s.p50Ms(),
                            s.p99Ms()));
        }
        return sb.toString();
    }

    /** Per-camera totals at the last sample; rates between the first and the last sample. */
    public static String cameras(SoakSample first, SoakSample last) {
        double seconds = Math.max(1, last.seconds() - first.seconds());
        StringBuilder sb =
                new StringBuilder(
                        "| camera | in | in/s | processed | processed/s | dropped | lag s | output"
                                + " lag s |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
        last.cameras()
                .forEach(
                        (id, c) ->
                                sb.append(
                                        String.format(
                                                Locale.ROOT,
                                                "| %s | %d | %.1f | %d | %.1f | %d | %.2f | %.2f"
                                                        + " |%n",
                                                id,
                                                c.in(),
                                                (c.in() - before(first, id).in()) / seconds,
                                                c.processed(),
                                                (c.processed() - before(first, id).processed())
                                                        / seconds,
                                                c.dropped(),
                                                c.lagMs() / 1000.0,
                                                c.outputLagMs() / 1000.0)));
        return sb.toString();
    }

    /** Every sample, one row, every camera's columns. */
    public static String csv(List<SoakSample> samples) {
        StringBuilder sb =
                new StringBuilder(
                        "seconds,heap_mb,tracker_bytes,checkpoint_bytes,checkpoints,frames,p50_ms,"
                                + "p99_ms,out_of_order");
        List<String> cams =
                samples.isEmpty()
                        ? List.of()
                        : List.copyOf(samples.get(samples.size() - 1).cameras().keySet());
        for (int i = 0; i < cams.size(); i++) {
            String c = "cam" + (i + 1);
            sb.append(String.format(",%1$s_in,%1$s_processed,%1$s_dropped,%1$s_lag_ms", c));
        }
        sb.append('\n');
        for (SoakSample s : samples) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "%d,%d,%d,%d,%d,%d,%.1f,%.1f,%d",
                            s.seconds(),
                            s.heapMb(),
                            s.trackerBytes(),
                            s.checkpointBytes(),
                            s.checkpoints(),
                            s.frames(),
                            s.p50Ms(),
                            s.p99Ms(),
                            s.outOfOrder()));
            for (String c : cams) {
                SoakSample.Camera x = s.cameras().get(c);
                if (x == null) {
                    sb.append(",,,,");
                } else {
                    sb.append(
                            String.format(
                                    Locale.ROOT,
                                    ",%d,%d,%d,%d",
                                    x.in(),
                                    x.processed(),
                                    x.dropped(),
                                    x.lagMs()));
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static SoakSample.Camera before(SoakSample first, String camera) {
        return first.cameras().getOrDefault(camera, new SoakSample.Camera(0, 0, 0, -1, -1));
    }

    private static double kb(long bytes) {
        return bytes < 0 ? -1 : bytes / 1024.0;
    }

    private static double mean(List<double[]> points) {
        return points.stream().mapToDouble(p -> p[1]).average().orElse(Double.NaN);
    }

    /** Least-squares slope of value over minutes. */
    private static double slope(List<double[]> points) {
        double mx = points.stream().mapToDouble(p -> p[0]).average().orElse(0);
        double my = mean(points);
        double num = 0;
        double den = 0;
        for (double[] p : points) {
            num += (p[0] - mx) * (p[1] - my);
            den += (p[0] - mx) * (p[0] - mx);
        }
        return den == 0 ? 0 : num / den;
    }
}
