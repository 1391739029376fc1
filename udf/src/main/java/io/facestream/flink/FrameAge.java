package io.facestream.flink;

import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * The {@value #METRIC} histogram every pipeline operator registers: the age of a frame when it
 * leaves that operator, wall clock now minus the frame's capture time ({@code Frame.timestamp}), in
 * milliseconds. Read along the pipeline (detect-align, tracker, embed-batcher, track-assembler) it
 * says where a frame's latency since capture accumulates; each stage's age includes every stage
 * before it (frames detect-align cannot read are not counted). Meaningful where the timestamp is on
 * this machine's clock (live cameras, paced sources); for a file stamped from {@code
 * source.base-timestamp} it is wall clock minus media time.
 *
 * <p>One {@link System#currentTimeMillis()} and one histogram update per record; the histogram
 * keeps the last {@value #WINDOW} values per subtask (as the operators' other histograms), so a
 * reporter's quantiles are over roughly the last half minute of one camera at 30 fps.
 */
public final class FrameAge {
    /** The metric's name in each operator's group. */
    public static final String METRIC = "frameAgeMs";

    /** Values the histogram keeps per subtask. */
    public static final int WINDOW = 1000;

    private FrameAge() {}

    /** Registers the histogram in an operator's {@code open()}. */
    public static Histogram register(MetricGroup group) {
        return group.histogram(METRIC, new DescriptiveStatisticsHistogram(WINDOW));
    }

    /** Records the age of a frame captured at {@code captureMillis} (epoch ms) as of now. */
    public static void update(Histogram ages, long captureMillis) {
        ages.update(System.currentTimeMillis() - captureMillis);
    }
}
