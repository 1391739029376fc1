package io.facestream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.testutils.MetricListener;
import org.junit.jupiter.api.Test;

/** The console status line, from metrics registered under the {@code camera=<id>} groups. */
class LiveStatusReporterTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final LiveStatusReporter reporter =
            new LiveStatusReporter(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    private final MetricGroup door =
            new MetricListener().getMetricGroup().addGroup("camera", "door");

    private SimpleCounter counter(String name, long value) {
        SimpleCounter c = new SimpleCounter();
        c.inc(value);
        reporter.notifyOfAddedMetric(c, name, door);
        return c;
    }

    private AtomicLong gauge(String name, long value) {
        AtomicLong v = new AtomicLong(value);
        reporter.notifyOfAddedMetric((Gauge<Long>) v::get, name, door);
        return v;
    }

    @Test
    void printsOneLinePerCameraWithRatesDropsLagFacesAndNames() {
        SimpleCounter in = counter("framesRead", 300);
        SimpleCounter out = counter("framesProcessed", 200);
        counter("framesDropped", 90);
        counter("faces", 410);
        counter("facesNamed", 380);
        gauge("lagMs", 400);
        gauge("outputLagMs", 1_250);
        gauge("connected", 1);
        assertThat(reporter.line("door", 10_000))
                .isEqualTo(
                        "door: in 300, processed 200, dropped 90, lag 1.3 s, faces 410, named 380");
        in.inc(150);
        out.inc(100);
        assertThat(reporter.line("door", 15_000))
                .startsWith("door: in 450, processed 300 (30.0/s in, 20.0/s out), dropped 90");
    }

    @Test
    void saysWhenACameraIsReconnectingOrGivenUp() {
        counter("framesRead", 10);
        AtomicLong connected = gauge("connected", 0);
        AtomicLong givenUp = gauge("givenUp", 0);
        assertThat(reporter.line("door", 1)).startsWith("door NOT CONNECTED, reconnecting: in 10");
        givenUp.set(1);
        assertThat(reporter.line("door", 2)).startsWith("door GIVEN UP (see dead letters)");
        connected.set(1);
        reporter.report();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("door GIVEN UP");
    }
}
