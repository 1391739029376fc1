package io.facestream.bench;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * The soak's view of the job's own metrics: a Flink metric reporter of the bench's MiniCluster (in
 * this JVM, so the registry is static) that keeps the per-camera metrics of the video source and
 * the job's progress sinks ({@code camera=<id>} groups: framesRead, framesDropped, lagMs,
 * framesProcessed, outputLagMs...) and the job manager's checkpoint gauges (lastCheckpointFullSize,
 * numberOfCompletedCheckpoints...). Values are read when the soak samples; counters are summed and
 * gauges maxed over subtasks.
 */
public final class SoakMetrics implements MetricReporter {
    private static final String CAMERA = "<camera>";

    /** Camera id → metric name → the metrics of that name (several subtasks). */
    private static final Map<String, Map<String, List<Metric>>> CAMERAS = new ConcurrentHashMap<>();

    /** Metrics outside camera groups, by name (the job's checkpoint gauges among them). */
    private static final Map<String, List<Metric>> OTHERS = new ConcurrentHashMap<>();

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    /** Forgets every metric (before a run). */
    static void clear() {
        CAMERAS.clear();
        OTHERS.clear();
    }

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        String camera = group.getAllVariables().get(CAMERA);
        Map<String, List<Metric>> into =
                camera == null
                        ? OTHERS
                        : CAMERAS.computeIfAbsent(camera, c -> new ConcurrentHashMap<>());
        into.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>()).add(metric);
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        String camera = group.getAllVariables().get(CAMERA);
        Map<String, List<Metric>> from = camera == null ? OTHERS : CAMERAS.get(camera);
        if (from != null && from.get(name) != null) {
            from.get(name).remove(metric);
        }
    }

    static Set<String> cameras() {
        return new TreeSet<>(CAMERAS.keySet());
    }

    /** Sum of counter {@code name} of {@code camera}. */
    static long count(String camera, String name) {
        return sum(CAMERAS.getOrDefault(camera, Map.of()).getOrDefault(name, List.of()));
    }

    /** Largest value of gauge {@code name} of {@code camera}; -1 when none. */
    static long gauge(String camera, String name) {
        return max(CAMERAS.getOrDefault(camera, Map.of()).getOrDefault(name, List.of()));
    }

    /** Largest value of the gauge {@code name} outside camera groups; -1 when none. */
    static long jobGauge(String name) {
        return max(OTHERS.getOrDefault(name, List.of()));
    }

    private static long sum(List<Metric> metrics) {
        long total = 0;
        for (Metric m : metrics) {
            if (m instanceof Counter c) {
                total += c.getCount();
            }
        }
        return total;
    }

    private static long max(List<Metric> metrics) {
        long max = -1;
        for (Metric m : metrics) {
            if (m instanceof Gauge<?> g && g.getValue() instanceof Number n) {
                max = Math.max(max, n.longValue());
            }
        }
        return max;
    }

    /** Flink creates reporters through a factory named in the configuration. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new SoakMetrics();
        }
    }
}
