package io.facestream.flink;

import static io.facestream.flink.TrackedFrames.face;
import static io.facestream.flink.TrackedFrames.frame;
import static org.assertj.core.api.Assertions.assertThat;

import io.facestream.schema.internal.DetectedFace;
import io.facestream.schema.internal.FaceCrop;
import io.facestream.schema.internal.FrameFaces;
import io.facestream.schema.internal.TrackedFrame;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The tracker's waiting state under the worst arrival order: it holds no pictures, only the crops
 * that may be embedded, and never more than {@code track.max-waiting-frames} frames per camera.
 */
class TrackerWaitingStateTest {
    static final int CAP = 16;
    static final int CROP_BYTES = 112 * 112 * 3;

    static TrackSettings settings(int cap) {
        TrackSettings s = TrackerFunctionTest.settings(false);
        return new TrackSettings(
                s.tracker(), s.vote(), s.gapTimeoutMs(), s.idleTimeoutMs(), s.cutThreshold(), cap);
    }

    /** Frame {@code seq}: one face that passes the gates, one that fails, both with 112² crops. */
    static FrameFaces frameWithCrops(long seq) {
        List<DetectedFace> faces =
                List.of(face(0, 100 + seq % 50, 100, 60, null), face(1, 400, 100, 60, "POSE"));
        FrameFaces f = frame(seq, seq == 0 ? null : seq - 1, faces);
        f.setCropSize(112);
        f.setCrops(
                List.of(
                        ByteBuffer.wrap(new byte[CROP_BYTES]),
                        ByteBuffer.wrap(new byte[CROP_BYTES])));
        return f;
    }

    @Test
    void waitingStateStaysBoundedAndHoldsNoPictureWhateverTheArrivalOrder() throws Exception {
        // Four readers with far-apart sequence ranges of one camera, interleaved, and processing
        // time that never moves (no gap timeout): the order that once grew the state to 25 MB.
        int readers = 4;
        int perReader = 500;
        try (var h =
                new KeyedOneInputStreamOperatorTestHarness<String, FrameFaces, FaceCrop>(
                        new KeyedProcessOperator<>(new TrackerFunction(settings(CAP))),
                        f -> f.getFrame().getCameraId(),
                        Types.STRING)) {
            h.open();
            h.setProcessingTime(0);
            long largest = 0;
            for (int i = 0; i < perReader; i++) {
                for (int r = 0; r < readers; r++) {
                    FrameFaces f = frameWithCrops((long) r * perReader + i);
                    h.processElement(
                            new StreamRecord<>(f, f.getFrame().getTimestamp().toEpochMilli()));
                }
                largest = Math.max(largest, h.snapshot(i, i).getStateSize());
            }
            // CAP frames of one passing face's crop each, plus the tracker's own bytes: no
            // picture (TrackedFrames.PHOTO is 0.5 MB) and no crop of a gated face in state.
            assertThat(largest)
                    .as("largest checkpoint of the tracker, bytes")
                    .isGreaterThan((long) (CAP / 2 * CROP_BYTES))
                    .isLessThan((long) (CAP * CROP_BYTES * 1.2));

            List<TrackedFrame> out = new ArrayList<>();
            h.getSideOutput(TrackerFunction.TRACKED).forEach(r -> out.add(r.getValue()));
            Set<Long> picturesAhead = new HashSet<>();
            Set<Long> framesOut = new HashSet<>();
            for (TrackedFrame t : out) {
                if (t.getPicture() != null) {
                    assertThat(t.getPicture().remaining()).isEqualTo(TrackedFrames.PHOTO.length);
                    picturesAhead.add(t.getSequence());
                } else if (t.getFrame() != null) {
                    assertThat(framesOut.add(t.getSequence())).as("each frame once").isTrue();
                    if (WaitingFrames.pictureWentAhead(t.getFrame())) {
                        assertThat(picturesAhead)
                                .as("the picture came first on the same channel")
                                .contains(t.getSequence());
                    }
                }
            }
            // Every frame comes out, tracked in order or passed on late; none is lost.
            assertThat(framesOut).hasSize(readers * perReader);
            assertThat(picturesAhead).isNotEmpty();
            assertThat(out.stream().filter(t -> t.getFrame() != null && !t.getLate()).count())
                    .as("frames tracked (the rest arrived after the tracker moved past them)")
                    .isGreaterThan(perReader);
        }
    }

    @Test
    void aWaitingFrameEmbedsFromItsKeptCropAfterTheGapIsSkipped() throws Exception {
        try (var h =
                new KeyedOneInputStreamOperatorTestHarness<String, FrameFaces, FaceCrop>(
                        new KeyedProcessOperator<>(new TrackerFunction(settings(2))),
                        f -> f.getFrame().getCameraId(),
                        Types.STRING)) {
            h.open();
            h.setProcessingTime(0);
            h.processElement(new StreamRecord<>(frameWithCrops(0), 0));
            // Frame 1 is missing; 2, 3 wait; 4 is one too many: the gap is skipped at once.
            for (long s = 2; s <= 4; s++) {
                h.processElement(new StreamRecord<>(frameWithCrops(s), 0));
            }
            List<TrackedFrame> frames = new ArrayList<>();
            h.getSideOutput(TrackerFunction.TRACKED)
                    .forEach(
                            r -> {
                                if (r.getValue().getFrame() != null) {
                                    frames.add(r.getValue());
                                }
                            });
            assertThat(frames)
                    .extracting(TrackedFrame::getSequence)
                    .containsExactly(0L, 2L, 3L, 4L);
            assertThat(h.numProcessingTimeTimers()).as("no gap timer left, the idle one").isOne();
            // The passing face of frame 2 was embedded from the crop its waiting entry kept.
            List<FaceCrop> crops = h.extractOutputValues();
            assertThat(crops).extracting(c -> c.getRef().getSequence()).contains(0L, 2L);
            assertThat(crops)
                    .allSatisfy(
                            c -> {
                                assertThat(c.getRef().getFace().getGateReason()).isNull();
                                assertThat(c.getCrop().remaining()).isEqualTo(CROP_BYTES);
                            });
        }
    }

    @Test
    void aFrameDetectionCouldNotReadDoesNotHoldUpTheNextOnes() throws Exception {
        try (var h =
                new KeyedOneInputStreamOperatorTestHarness<String, FrameFaces, FaceCrop>(
                        new KeyedProcessOperator<>(new TrackerFunction(settings(CAP))),
                        f -> f.getFrame().getCameraId(),
                        Types.STRING)) {
            h.open();
            h.setProcessingTime(0);
            h.processElement(new StreamRecord<>(frameWithCrops(0), 0));
            h.processElement(new StreamRecord<>(frameWithCrops(2), 0));
            FrameFaces unreadable = frame(1, 0L, List.of());
            unreadable.setUnreadable(true);
            unreadable.setCrops(List.of());
            // Frame 2 waits for 1 until detect-align's marker says 1 will not come: no gap timeout.
            h.processElement(new StreamRecord<>(unreadable, 0));
            List<TrackedFrame> frames = new ArrayList<>();
            h.getSideOutput(TrackerFunction.TRACKED)
                    .forEach(
                            r -> {
                                if (r.getValue().getFrame() != null) {
                                    frames.add(r.getValue());
                                }
                            });
            assertThat(frames).extracting(TrackedFrame::getSequence).containsExactly(0L, 2L);
            assertThat(frames).noneMatch(TrackedFrame::getLate);
            assertThat(frames.get(1).getFrame().getFaces().get(0).getTrackId())
                    .as("the track goes on across the unreadable frame")
                    .isEqualTo(frames.get(0).getFrame().getFaces().get(0).getTrackId());
            assertThat(h.numProcessingTimeTimers()).as("no gap timer, the idle one").isOne();
        }
    }
}
