package io.facestream.flink.source;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/**
 * Camera health on the source reader's metric group: {@code cameraDisconnects} counts every live
 * stream that dropped or failed a (re)connect attempt, {@code camerasConnected} is the number of
 * live streams open right now; per stream, under the group {@code camera=<id>}, the counters and
 * gauges of {@link CameraMetrics}. One per reader, shared by the split readers it creates (Flink
 * replaces an idle split reader with a new one, the gauges must survive that).
 */
final class VideoSourceMetrics {
    static final String CAMERA_DISCONNECTS = "cameraDisconnects";
    static final String CAMERAS_CONNECTED = "camerasConnected";

    private final MetricGroup group;
    private final Counter disconnects;
    private final AtomicInteger connected = new AtomicInteger();
    private final Map<String, CameraMetrics> cameras = new ConcurrentHashMap<>();

    VideoSourceMetrics(MetricGroup group) {
        this.group = group;
        this.disconnects = group.counter(CAMERA_DISCONNECTS);
        group.gauge(CAMERAS_CONNECTED, (Gauge<Integer>) connected::get);
    }

    /** The metrics of one stream, registered on first use. */
    CameraMetrics camera(String cameraId) {
        return cameras.computeIfAbsent(
                cameraId, id -> new CameraMetrics(group.addGroup(CameraMetrics.GROUP, id)));
    }

    void disconnected(String cameraId) {
        disconnects.inc();
        camera(cameraId).disconnected();
    }

    void connected(String cameraId) {
        connected.incrementAndGet();
        camera(cameraId).connected(true);
    }

    void closed(String cameraId) {
        connected.decrementAndGet();
        camera(cameraId).connected(false);
    }
}
