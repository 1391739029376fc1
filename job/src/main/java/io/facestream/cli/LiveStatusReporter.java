package io.facestream.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;
import org.apache.flink.metrics.reporter.Scheduled;

/**
 * What a person watching a live run sees: every report interval, one line per camera on stderr —
 * frames in (decoded) and their rate, frames processed (out of the job) and their rate, dropped,
 * lag (end of the job − capture), faces and named faces — or that the camera is reconnecting or was
 * given up. Built from the metrics the job already has: the video source's {@code camera=<id>}
 * group and the job's {@code ProgressSink}s. A Flink metric reporter of the local MiniCluster,
 * registered by {@link LiveRun} for runs with live or paced sources.
 */
public final class LiveStatusReporter implements MetricReporter, Scheduled {
    private static final String CAMERA = "<camera>";

    /** Camera id → metric name → the metrics of that name (several subtasks or attempts). */
    private final Map<String, Map<String, List<Metric>>> cameras = new ConcurrentHashMap<>();

    private final Map<String, long[]> previous = new TreeMap<>(); // in, processed, at ms
    private final PrintStream out;

    public LiveStatusReporter() {
        this(System.err);
    }

    LiveStatusReporter(PrintStream out) {
        this.out = out;
    }

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        String camera = group.getAllVariables().get(CAMERA);
        if (camera != null) {
            cameras.computeIfAbsent(camera, c -> new ConcurrentHashMap<>())
                    .computeIfAbsent(name, n -> new CopyOnWriteArrayList<>())
                    .add(metric);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        String camera = group.getAllVariables().get(CAMERA);
        if (camera != null && cameras.containsKey(camera)) {
            List<Metric> list = cameras.get(camera).get(name);
            if (list != null) {
                list.remove(metric);
            }
        }
    }

    @Override
    public synchronized void report() {
        long now = System.currentTimeMillis();
        for (String camera : new TreeMap<>(cameras).keySet()) {
            out.println(line(camera, now));
        }
        out.flush();
    }

    /** The status line of one camera; rates are over the time since its previous line. */
    String line(String camera, long nowMs) {
        Map<String, List<Metric>> m = cameras.get(camera);
        long in = sum(m, "framesRead");
        long processed = sum(m, "framesProcessed");
        if (!m.containsKey("framesProcessed")) {
            processed = sum(m, "framesEmitted"); // not annotating: what the source handed on
        }
        long[] before = previous.put(camera, new long[] {in, processed, nowMs});
        String rates = "";
        if (before != null && nowMs > before[2]) {
            double s = (nowMs - before[2]) / 1000.0;
            rates =
                    String.format(
                            Locale.ROOT,
                            " (%.1f/s in, %.1f/s out)",
                            (in - before[0]) / s,
                            (processed - before[1]) / s);
        }
        long lag = max(m, "outputLagMs");
        if (lag < 0) {
            lag = max(m, "lagMs");
        }
        String state = "";
        if (max(m, "givenUp") > 0) {
            state = " GIVEN UP (see dead letters)";
        } else if (m.containsKey("connected") && max(m, "connected") == 0) {
            state = in == 0 ? " connecting" : " NOT CONNECTED, reconnecting";
        }
        return String.format(
                Locale.ROOT,
                "%s%s: in %d, processed %d%s, dropped %d, lag %s, faces %d, named %d",
                camera,
                state,
                in,
                processed,
                rates,
                sum(m, "framesDropped"),
                lag < 0 ? "-" : String.format(Locale.ROOT, "%.1f s", lag / 1000.0),
                sum(m, "faces"),
                sum(m, "facesNamed"));
    }

    private static long sum(Map<String, List<Metric>> m, String name) {
        long total = 0;
        for (Metric metric : m.getOrDefault(name, List.of())) {
            if (metric instanceof Counter c) {
                total += c.getCount();
            }
        }
        return total;
    }

    private static long max(Map<String, List<Metric>> m, String name) {
        long max = -1;
        for (Metric metric : m.getOrDefault(name, List.of())) {
            if (metric instanceof Gauge<?> g && g.getValue() instanceof Number n) {
                max = Math.max(max, n.longValue());
            }
        }
        return max;
    }

    /** Flink creates reporters through a factory named in the configuration. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new LiveStatusReporter();
        }
    }
}
