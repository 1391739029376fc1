package io.facestream.bench;

import io.facestream.flink.FrameAge;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;
import org.apache.flink.runtime.metrics.scope.ScopeFormat;

/**
 * The bench's view of the operators' {@value FrameAge#METRIC} histograms: a Flink metric reporter
 * of the bench's MiniCluster (in this JVM, so the registry is static) that keeps every subtask's
 * histogram by operator name, also after the job ended, so the bench reads each stage's ages after
 * the run. {@link #mark()} notes what each histogram holds when the warm-up is over; {@link
 * #agesSinceMark()} returns, per operator, the values recorded since, of all its subtasks together.
 */
public final class StageMetrics implements MetricReporter {
    /** Operator name → its subtasks' frame-age histograms. */
    private static final Map<String, List<Histogram>> AGES = new ConcurrentHashMap<>();

    /** Histogram (by identity) → what it held at {@link #mark()}. */
    private static final Map<Histogram, Mark> MARKS = new ConcurrentHashMap<>();

    /** A histogram's values and count of values ever recorded, at the mark. */
    record Mark(long[] values, long count) {
        static final Mark NONE = new Mark(new long[0], 0);
    }

    /** Adds this reporter to a MiniCluster's configuration. */
    static void configure(Configuration conf) {
        conf.setString("metrics.reporter.stages.factory.class", Factory.class.getName());
    }

    /** Frames completed in this run, counted by the job ({@link #completed()}). */
    private static final AtomicLong COMPLETED = new AtomicLong();

    private static volatile long markAfter = -1;

    /**
     * Forgets every histogram and mark (before a run); the run's {@code warmUp}-th completed frame
     * will {@link #mark()} (none when not positive).
     */
    static void clear(long warmUp) {
        AGES.clear();
        MARKS.clear();
        COMPLETED.set(0);
        markAfter = warmUp;
    }

    /**
     * A frame completed: called by the job itself (its completion-time map, in this JVM), so the
     * warm-up ends when its last frame leaves the job, not when the collect sink's client, which
     * receives results in batches, sees it.
     */
    static void completed() {
        if (COMPLETED.incrementAndGet() == markAfter) {
            mark();
        }
    }

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        if (FrameAge.METRIC.equals(name) && metric instanceof Histogram h) {
            String operator = group.getAllVariables().get(ScopeFormat.SCOPE_OPERATOR_NAME);
            AGES.computeIfAbsent(operator, o -> new CopyOnWriteArrayList<>()).add(h);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        // Kept on purpose: the bench reads them after the job has finished.
    }

    /** Notes what every histogram holds now: the warm-up's values, left out of the ages. */
    static void mark() {
        for (List<Histogram> hs : AGES.values()) {
            for (Histogram h : hs) {
                // count first: a value recorded in between is then left out of the ages, not in
                long count = h.getCount();
                MARKS.put(h, new Mark(h.getStatistics().getValues(), count));
            }
        }
    }

    /**
     * Per operator (in no set order), the values its subtasks recorded since {@link #mark()} (all,
     * without a mark), merged.
     */
    static Map<String, StageAges> agesSinceMark() {
        Map<String, StageAges> out = new LinkedHashMap<>();
        AGES.forEach(
                (operator, hs) -> {
                    List<Long> values = new ArrayList<>();
                    long recorded = 0;
                    boolean warmUpIn = false;
                    for (Histogram h : hs) {
                        Mark m = MARKS.getOrDefault(h, Mark.NONE);
                        long count = h.getCount();
                        recorded += count - m.count();
                        warmUpIn |= !addSince(values, h.getStatistics().getValues(), count, m);
                    }
                    out.put(operator, new StageAges(hs.size(), values, recorded, warmUpIn));
                });
        return out;
    }

    /**
     * Adds to {@code into} the values of {@code now} (a histogram's window, {@code count} values
     * recorded in all) that were recorded after the mark. While the histogram has kept every value
     * ever recorded, that is exactly {@code now} less the mark's values, as multisets. Once it
     * dropped old values it holds the last window's: all recorded after the mark when that many
     * were; else some are the warm-up's latest, which cannot be told apart (all are added, and it
     * returns false).
     */
    static boolean addSince(List<Long> into, long[] now, long count, Mark mark) {
        if (count <= now.length) {
            Map<Long, Integer> left = new HashMap<>();
            for (long v : mark.values()) {
                left.merge(v, 1, Integer::sum);
            }
            for (long v : now) {
                if (left.merge(v, -1, Integer::sum) < 0) {
                    into.add(v);
                }
            }
            return true;
        }
        Arrays.stream(now).forEach(into::add);
        return count - mark.count() >= now.length;
    }

    /**
     * One stage's frame ages (ms) since the mark, of its {@code subtasks} together: the {@code
     * values} the windows still hold of the {@code recorded} since the mark; with {@code warmUpIn},
     * a window that dropped values also holds some of the warm-up's.
     */
    record StageAges(int subtasks, List<Long> values, long recorded, boolean warmUpIn) {}

    /** Flink creates reporters through a factory named in the configuration. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new StageMetrics();
        }
    }
}
