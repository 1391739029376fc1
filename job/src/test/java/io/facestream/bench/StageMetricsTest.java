package io.facestream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.facestream.bench.StageMetrics.Mark;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.junit.jupiter.api.Test;

/** What {@link StageMetrics} takes from a Flink histogram as recorded after the warm-up mark. */
class StageMetricsTest {
    @Test
    void takesExactlyTheValuesRecordedAfterTheMarkWhileTheWindowHoldsAll() {
        var h = new DescriptiveStatisticsHistogram(10);
        for (long v : new long[] {5, 7, 7, 9}) {
            h.update(v);
        }
        Mark mark = new Mark(h.getStatistics().getValues(), h.getCount());
        for (long v : new long[] {7, 3, 9, 11}) {
            h.update(v);
        }
        List<Long> since = new ArrayList<>();
        assertThat(StageMetrics.addSince(since, h.getStatistics().getValues(), h.getCount(), mark))
                .isTrue();
        assertThat(since).containsExactlyInAnyOrder(7L, 3L, 9L, 11L);
    }

    @Test
    void takesTheWholeWindowOnceItFilledAfterTheMark() {
        var h = new DescriptiveStatisticsHistogram(3);
        h.update(100);
        h.update(100);
        Mark mark = new Mark(h.getStatistics().getValues(), h.getCount());
        for (long v : new long[] {1, 2, 3, 4}) {
            h.update(v);
        }
        List<Long> since = new ArrayList<>();
        assertThat(StageMetrics.addSince(since, h.getStatistics().getValues(), h.getCount(), mark))
                .isTrue();
        assertThat(since).containsExactlyInAnyOrder(2L, 3L, 4L);
    }

    @Test
    void saysWhenTheWindowStillHoldsSomeOfTheWarmUp() {
        var h = new DescriptiveStatisticsHistogram(3);
        h.update(100);
        h.update(100);
        Mark mark = new Mark(h.getStatistics().getValues(), h.getCount());
        h.update(1);
        h.update(2);
        List<Long> since = new ArrayList<>();
        assertThat(StageMetrics.addSince(since, h.getStatistics().getValues(), h.getCount(), mark))
                .isFalse();
        assertThat(since).containsExactlyInAnyOrder(100L, 1L, 2L);
    }
}
