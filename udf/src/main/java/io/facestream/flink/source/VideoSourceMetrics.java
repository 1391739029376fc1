package io.facestream.flink.source;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/**
 * Camera health on the source reader's metric group: {@code cameraDisconnects} counts every live
 * stream that dropped or failed a (re)connect attempt, {@code camerasConnected} is the number of
 * live streams open right now. One per reader, shared by the split readers it creates (Flink
 * replaces an idle split reader with a new one, the gauge must survive that).
 */
final class VideoSourceMetrics {
    static final String CAMERA_DISCONNECTS = "cameraDisconnects";
    static final String CAMERAS_CONNECTED = "camerasConnected";

    private final Counter disconnects;
    private final AtomicInteger connected = new AtomicInteger();

    VideoSourceMetrics(MetricGroup group) {
        this.disconnects = group.counter(CAMERA_DISCONNECTS);
        group.gauge(CAMERAS_CONNECTED, (Gauge<Integer>) connected::get);
    }

    void disconnected() {
        disconnects.inc();
    }

    void connected() {
        connected.incrementAndGet();
    }

    void closed() {
        connected.decrementAndGet();
    }
}
