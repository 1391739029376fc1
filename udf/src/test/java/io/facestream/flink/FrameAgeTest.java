package io.facestream.flink;

import static io.facestream.flink.TrackedFrames.moving;
import static org.assertj.core.api.Assertions.assertThat;

import io.facestream.model.ModelOptions;
import io.facestream.schema.Frame;
import io.facestream.schema.internal.FaceCrop;
import io.facestream.schema.internal.FaceEmbedding;
import io.facestream.schema.internal.FaceRef;
import io.facestream.schema.internal.FrameFaces;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The {@value FrameAge#METRIC} histogram of the tracker and the embed batcher in Flink's keyed
 * harness: registered in {@code open()}, one value per frame (per face for the batcher) when it
 * leaves the operator, the frame's age since its capture timestamp.
 */
class FrameAgeTest {
    static final long AGE_MS = 5_000;

    @Test
    void trackerRecordsAFramesAgeWhenItIsReleasedInOrder() throws Exception {
        OperatorMetrics metrics = new OperatorMetrics();
        long start = System.currentTimeMillis();
        try (var env = metrics.environment();
                var h =
                        new KeyedOneInputStreamOperatorTestHarness<String, FrameFaces, FaceCrop>(
                                new KeyedProcessOperator<>(
                                        new TrackerFunction(TrackerFunctionTest.settings(false))),
                                f -> f.getFrame().getCameraId(),
                                Types.STRING,
                                env)) {
            h.open();
            Histogram ages = metrics.histogram(FrameAge.METRIC);
            assertThat(ages).as("registered in open()").isNotNull();
            send(h, capturedAgo(moving(1, 0L, 5), start));
            assertThat(ages.getCount()).as("frame 1 waits for frame 0").isZero();
            send(h, capturedAgo(moving(0, null, 5), start));
            assertThat(ages.getCount()).isEqualTo(2);
            long elapsed = System.currentTimeMillis() - start;
            assertThat(ages.getStatistics().getMin()).isGreaterThanOrEqualTo(AGE_MS);
            assertThat(ages.getStatistics().getMax()).isLessThanOrEqualTo(AGE_MS + elapsed);
        }
    }

    @Test
    void embedBatcherRecordsEachEmbeddedFacesFrameAge() throws Exception {
        List<FaceCrop> crops = RealCrops.friends();
        OperatorMetrics metrics = new OperatorMetrics();
        long start = System.currentTimeMillis();
        try (var env = metrics.environment();
                var h =
                        new KeyedOneInputStreamOperatorTestHarness<
                                Integer, FaceCrop, FaceEmbedding>(
                                new KeyedProcessOperator<>(
                                        new EmbedBatcher(
                                                new EmbedSettings(
                                                        null, ModelOptions.DEFAULT, 3, 100))),
                                c -> 0,
                                Types.INT,
                                env)) {
            h.open();
            Histogram ages = metrics.histogram(FrameAge.METRIC);
            for (int i = 0; i < 2; i++) {
                h.processElement(new StreamRecord<>(capturedAgo(crops.get(i), start), 1000));
            }
            assertThat(ages.getCount()).as("the batch is not full yet").isZero();
            h.processElement(new StreamRecord<>(capturedAgo(crops.get(2), start), 1000));
            assertThat(h.extractOutputValues()).hasSize(3);
            assertThat(ages.getCount()).as("one per embedded face").isEqualTo(3);
            long elapsed = System.currentTimeMillis() - start;
            assertThat(ages.getStatistics().getMin()).isGreaterThanOrEqualTo(AGE_MS);
            assertThat(ages.getStatistics().getMax()).isLessThanOrEqualTo(AGE_MS + elapsed);
        }
    }

    private static void send(
            KeyedOneInputStreamOperatorTestHarness<String, FrameFaces, FaceCrop> h, FrameFaces f)
            throws Exception {
        h.processElement(new StreamRecord<>(f, f.getFrame().getTimestamp().toEpochMilli()));
    }

    private static FrameFaces capturedAgo(FrameFaces f, long now) {
        return FrameFaces.newBuilder(f)
                .setFrame(
                        Frame.newBuilder(f.getFrame())
                                .setTimestamp(Instant.ofEpochMilli(now - AGE_MS))
                                .build())
                .build();
    }

    private static FaceCrop capturedAgo(FaceCrop c, long now) {
        return FaceCrop.newBuilder(c)
                .setRef(FaceRef.newBuilder(c.getRef()).setTimestamp(now - AGE_MS).build())
                .build();
    }
}
