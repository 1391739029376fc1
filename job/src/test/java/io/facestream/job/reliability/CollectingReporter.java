package io.facestream.job.reliability;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * A metric reporter for the MiniCluster of the reliability tests: it keeps every counter the job
 * registers, also after the task that owned it ended or was restarted, so a test reads the totals
 * the job's own metrics counted. Counters are summed over subtasks and attempts by job and name.
 */
public final class CollectingReporter implements MetricReporter {
    /**
     * Metric identifier (host.taskmanager.tm.job.operator.subtask.name, plus attempt) to counter.
     */
    private static final Map<String, Counter> COUNTERS = new ConcurrentHashMap<>();

    private static final Map<String, Gauge<?>> GAUGES = new ConcurrentHashMap<>();

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        if (metric instanceof Counter c) {
            // A restarted task registers a counter under the same identifier: keep both.
            String id = group.getMetricIdentifier(name);
            String key = id;
            for (int attempt = 1; COUNTERS.putIfAbsent(key, c) != null; attempt++) {
                key = id + "#" + attempt;
            }
        } else if (metric instanceof Gauge<?> g) {
            GAUGES.put(group.getMetricIdentifier(name), g);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        // Kept on purpose: the test reads the counts after the job has finished.
    }

    /**
     * The sum of counter {@code name} of operator {@code operator} over its subtasks and attempts
     * in job {@code job}.
     */
    static long sum(String job, String operator, String name) {
        String scope = "." + job + "." + operator + ".";
        return COUNTERS.entrySet().stream()
                .filter(e -> e.getKey().contains(scope))
                .filter(
                        e ->
                                e.getKey().endsWith("." + name)
                                        || e.getKey().contains("." + name + "#"))
                .mapToLong(e -> e.getValue().getCount())
                .sum();
    }

    /**
     * The value of the job-level gauge {@code name} (e.g. {@code numRestarts}) of job {@code job}.
     */
    static long gauge(String job, String name) {
        return GAUGES.entrySet().stream()
                .filter(e -> e.getKey().endsWith("." + job + "." + name))
                .mapToLong(e -> ((Number) e.getValue().getValue()).longValue())
                .max()
                .orElseThrow(() -> new AssertionError("no gauge " + name + " of job " + job));
    }

    /** Registered by class name in the MiniCluster configuration. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new CollectingReporter();
        }
    }
}
