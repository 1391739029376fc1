package io.facestream.flink.source;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/**
 * The metrics of one stream, in the group {@code camera=<id>} of the source reader: {@code
 * framesRead} (decoded), {@code framesDropped} (live frames too old to emit), {@code
 * framesEmitted}, {@code lagMs} (wall clock − capture time of the last frame emitted, live and
 * paced streams only; -1 before the first), {@code connected} (1 while a live stream is open),
 * {@code disconnects} and {@code givenUp} (1 once the stream was given up after {@code
 * source.max-reconnects}). Counters are bumped on the fetcher thread, the lag on the task thread.
 */
final class CameraMetrics {
    static final String GROUP = "camera";
    static final String FRAMES_READ = "framesRead";
    static final String FRAMES_DROPPED = "framesDropped";
    static final String FRAMES_EMITTED = "framesEmitted";
    static final String LAG_MS = "lagMs";
    static final String CONNECTED = "connected";
    static final String DISCONNECTS = "disconnects";
    static final String GIVEN_UP = "givenUp";

    private final Counter read;
    private final Counter dropped;
    private final Counter emitted;
    private final Counter disconnects;
    private final AtomicLong lagMs = new AtomicLong(-1);
    private volatile int connected;
    private volatile int givenUp;

    CameraMetrics(MetricGroup group) {
        read = group.counter(FRAMES_READ);
        dropped = group.counter(FRAMES_DROPPED);
        emitted = group.counter(FRAMES_EMITTED);
        disconnects = group.counter(DISCONNECTS);
        group.gauge(LAG_MS, (Gauge<Long>) lagMs::get);
        group.gauge(CONNECTED, (Gauge<Integer>) () -> connected);
        group.gauge(GIVEN_UP, (Gauge<Integer>) () -> givenUp);
    }

    void read() {
        read.inc();
    }

    void dropped() {
        dropped.inc();
    }

    long droppedCount() {
        return dropped.getCount();
    }

    void emitted(long lag) {
        emitted.inc();
        if (lag >= 0) {
            lagMs.set(lag);
        }
    }

    void connected(boolean open) {
        connected = open ? 1 : 0;
    }

    void disconnected() {
        disconnects.inc();
    }

    void givenUp() {
        givenUp = 1;
    }
}
