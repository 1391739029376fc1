package io.facestream.flink.source;

import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.groups.SourceReaderMetricGroup;
import org.apache.flink.metrics.testutils.MetricListener;
import org.apache.flink.runtime.metrics.groups.InternalSourceReaderMetricGroup;
import org.apache.flink.util.SimpleUserCodeClassLoader;
import org.apache.flink.util.UserCodeClassLoader;

/** A reader context outside a cluster whose metrics the test can read through a listener. */
final class TestReaderContext implements SourceReaderContext {
    final MetricListener metrics = new MetricListener();
    private final SourceReaderMetricGroup group =
            InternalSourceReaderMetricGroup.mock(metrics.getMetricGroup());

    @Override
    public SourceReaderMetricGroup metricGroup() {
        return group;
    }

    @Override
    public Configuration getConfiguration() {
        return new Configuration();
    }

    @Override
    public String getLocalHostName() {
        return "localhost";
    }

    @Override
    public int getIndexOfSubtask() {
        return 0;
    }

    @Override
    public void sendSplitRequest() {}

    @Override
    public void sendSourceEventToCoordinator(SourceEvent sourceEvent) {}

    @Override
    public UserCodeClassLoader getUserCodeClassLoader() {
        return SimpleUserCodeClassLoader.create(getClass().getClassLoader());
    }

    long counter(String... path) {
        return metrics.getCounter(path).orElseThrow().getCount();
    }

    Object gauge(String... path) {
        return metrics.getGauge(path).orElseThrow().getValue();
    }
}
