package io.facestream.job.sink;

import io.facestream.schema.AnnotatedFrame;
import io.facestream.schema.FaceIdentity;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/**
 * A sink that writes nothing and counts what leaves the job, per camera (metric group {@code
 * camera=<id>}): on the identity stream {@code faces} and {@code facesNamed} (with an identity:
 * matched, or their track's), on the annotated-frame stream {@code framesProcessed}; on both {@code
 * outputLagMs}, the wall clock when the record reached the end of the job − its frame's event time.
 * For a live camera that is the whole lag behind the camera (the event time is the capture time);
 * for a file it is meaningless. What a person watching a live run sees ({@code LiveStatusReporter})
 * is built from these and the source's own metrics.
 */
public final class ProgressSink<T> implements Sink<T> {
    public static final String FACES = "faces";
    public static final String FACES_NAMED = "facesNamed";
    public static final String FRAMES_PROCESSED = "framesProcessed";
    public static final String OUTPUT_LAG_MS = "outputLagMs";

    private final boolean identities;

    private ProgressSink(boolean identities) {
        this.identities = identities;
    }

    public static ProgressSink<FaceIdentity> identities() {
        return new ProgressSink<>(true);
    }

    public static ProgressSink<AnnotatedFrame> frames() {
        return new ProgressSink<>(false);
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        return new Writer(context.metricGroup());
    }

    private final class Writer implements SinkWriter<T> {
        private final MetricGroup group;
        private final Map<String, Camera> cameras = new HashMap<>();

        Writer(MetricGroup group) {
            this.group = group;
        }

        @Override
        public void write(T element, Context context) {
            long now = System.currentTimeMillis();
            if (identities) {
                FaceIdentity id = (FaceIdentity) element;
                Camera c = camera(id.getCameraId());
                c.count.inc();
                if (id.getIdentity() != null) {
                    c.named.inc();
                }
                c.lagMs.set(now - id.getTimestamp().toEpochMilli());
            } else {
                AnnotatedFrame f = (AnnotatedFrame) element;
                Camera c = camera(f.getCameraId());
                c.count.inc();
                c.lagMs.set(now - f.getTimestamp().toEpochMilli());
            }
        }

        private Camera camera(String id) {
            return cameras.computeIfAbsent(id, k -> new Camera(group.addGroup("camera", k)));
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public void close() {}
    }

    private final class Camera {
        final Counter count;
        final Counter named;
        final AtomicLong lagMs = new AtomicLong(-1);

        Camera(MetricGroup g) {
            count = g.counter(identities ? FACES : FRAMES_PROCESSED);
            named = identities ? g.counter(FACES_NAMED) : null;
            g.gauge(OUTPUT_LAG_MS, (Gauge<Long>) lagMs::get);
        }
    }
}
