package io.facestream.flink;

import static io.facestream.flink.TrackedFrames.face;
import static io.facestream.flink.TrackedFrames.frame;
import static io.facestream.flink.TrackedFrames.moving;
import static org.assertj.core.api.Assertions.assertThat;

import io.facestream.schema.internal.DetectedFace;
import io.facestream.schema.internal.FaceCrop;
import io.facestream.schema.internal.FrameFaces;
import io.facestream.schema.internal.TrackedFrame;
import io.facestream.track.ScheduleSettings;
import io.facestream.track.TrackerSettings;
import io.facestream.track.VoteSettings;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The tracker operator in Flink's keyed harness: frame order, gaps, restore, timeouts, state. */
class TrackerFunctionTest {
    static final long GAP_MS = 500;
    static final long IDLE_MS = 5_000;
    static final int MAX_WAITING = 64;

    static TrackSettings settings(boolean everyFrame) {
        TrackerSettings d = TrackerSettings.defaults();
        return new TrackSettings(
                new TrackerSettings(
                        d.minIou(),
                        d.minHits(),
                        d.maxLostFrames(),
                        d.highScore(),
                        new ScheduleSettings(everyFrame, 16, 1.25f)),
                new VoteSettings(2, 2.0f), // a name after two wins, as the assembler tests expect
                GAP_MS,
                IDLE_MS,
                16f,
                MAX_WAITING);
    }

    static KeyedOneInputStreamOperatorTestHarness<String, FrameFaces, FaceCrop> harness(
            TrackSettings s) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new TrackerFunction(s)),
                f -> f.getFrame().getCameraId(),
                Types.STRING);
    }

    static void send(
            KeyedOneInputStreamOperatorTestHarness<String, FrameFaces, FaceCrop> h, FrameFaces f)
            throws Exception {
        h.processElement(new StreamRecord<>(f, f.getFrame().getTimestamp().toEpochMilli()));
    }

    static List<TrackedFrame> tracked(
            KeyedOneInputStreamOperatorTestHarness<String, FrameFaces, FaceCrop> h) {
        List<TrackedFrame> out = new ArrayList<>();
        var q = h.getSideOutput(TrackerFunction.TRACKED);
        if (q != null) {
            // Pictures sent ahead of waiting frames are the assembler's concern, not these tests'.
            q.stream()
                    .map(StreamRecord::getValue)
                    .filter(t -> t.getPicture() == null)
                    .forEach(out::add);
        }
        return out;
    }

    static List<Long> trackIds(List<TrackedFrame> frames) {
        List<Long> ids = new ArrayList<>();
        for (TrackedFrame t : frames) {
            if (t.getFrame() != null) {
                t.getFrame().getFaces().forEach(d -> ids.add(d.getTrackId()));
            }
        }
        return ids;
    }

    @Test
    void restoresFrameOrderWhenFramesArriveOutOfOrder() throws Exception {
        try (var h = harness(settings(false))) {
            h.open();
            send(h, moving(0, null, 5));
            send(h, moving(2, 1L, 5));
            send(h, moving(3, 2L, 5));
            assertThat(tracked(h)).extracting(TrackedFrame::getSequence).containsExactly(0L);
            send(h, moving(1, 0L, 5));
            List<TrackedFrame> out = tracked(h);
            assertThat(out).extracting(TrackedFrame::getSequence).containsExactly(0L, 1L, 2L, 3L);
            assertThat(trackIds(out)).containsOnly(1L);
            assertThat(out).noneMatch(TrackedFrame::getLate);
            // Crops are not carried past the tracker.
            assertThat(out).allSatisfy(t -> assertThat(t.getFrame().getCrops()).isEmpty());
            // Schedule: a new track is embedded at once, then after 1 and 2 more frames.
            assertThat(h.extractOutputValues())
                    .extracting(c -> c.getRef().getSequence())
                    .containsExactly(0L, 1L, 3L);
            assertThat(h.numProcessingTimeTimers()).as("only the idle timer").isEqualTo(1);
        }
    }

    @Test
    void skipsAMissingFrameAfterTheGapTimeoutAndKeepsTheTrack() throws Exception {
        try (var h = harness(settings(false))) {
            h.open();
            h.setProcessingTime(0);
            send(h, moving(0, null, 5));
            send(h, moving(1, 0L, 5));
            send(h, moving(3, 2L, 5)); // frame 2 was dropped
            send(h, moving(4, 3L, 5));
            assertThat(tracked(h)).extracting(TrackedFrame::getSequence).containsExactly(0L, 1L);
            h.setProcessingTime(GAP_MS - 1);
            assertThat(tracked(h)).hasSize(2);
            h.setProcessingTime(GAP_MS);
            List<TrackedFrame> out = tracked(h);
            assertThat(out).extracting(TrackedFrame::getSequence).containsExactly(0L, 1L, 3L, 4L);
            assertThat(trackIds(out)).containsOnly(1L);
            // The dropped frame arriving after all is passed on untracked, not lost.
            send(h, moving(2, 1L, 5));
            TrackedFrame late = tracked(h).get(4);
            assertThat(late.getSequence()).isEqualTo(2L);
            assertThat(late.getLate()).isTrue();
            assertThat(late.getFrame().getFaces().get(0).getTrackId()).isNull();
        }
    }

    @Test
    void usesConsecutiveSequencesWhenTheProducerGivesNoPreviousSequence() throws Exception {
        try (var h = harness(settings(false))) {
            h.open();
            send(h, moving(0, null, 5));
            send(h, moving(2, null, 5));
            assertThat(tracked(h)).hasSize(1);
            send(h, moving(1, null, 5));
            assertThat(tracked(h))
                    .extracting(TrackedFrame::getSequence)
                    .containsExactly(0L, 1L, 2L);
        }
    }

    @Test
    void aRestoreInTheMiddleContinuesWithTheSameTracks() throws Exception {
        List<FrameFaces> frames = new ArrayList<>();
        for (long s = 0; s < 12; s++) {
            frames.add(
                    frame(
                            s,
                            s == 0 ? null : s - 1,
                            List.of(
                                    face(0, 100 + 4 * s, 100, 60, null),
                                    face(1, 400 - 4 * s, 120, 50, null))));
        }
        List<TrackedFrame> uninterrupted;
        List<Long> embedded;
        try (var h = harness(settings(false))) {
            h.open();
            for (FrameFaces f : frames) {
                send(h, f);
            }
            uninterrupted = tracked(h);
            embedded = h.extractOutputValues().stream().map(c -> c.getRef().getSequence()).toList();
        }

        OperatorSubtaskState snapshot;
        List<TrackedFrame> before;
        List<Long> embeddedBefore;
        try (var h = harness(settings(false))) {
            h.open();
            for (int i = 0; i < 6; i++) {
                send(h, frames.get(i));
            }
            send(h, frames.get(7)); // waits for frame 6, in state
            before = tracked(h);
            embeddedBefore =
                    h.extractOutputValues().stream().map(c -> c.getRef().getSequence()).toList();
            snapshot = h.snapshot(1, 1);
        }
        try (var h = harness(settings(false))) {
            h.initializeState(snapshot);
            h.open();
            send(h, frames.get(6));
            for (int i = 8; i < frames.size(); i++) {
                send(h, frames.get(i));
            }
            List<TrackedFrame> all = new ArrayList<>(before);
            all.addAll(tracked(h));
            List<Long> allEmbedded = new ArrayList<>(embeddedBefore);
            h.extractOutputValues().forEach(c -> allEmbedded.add(c.getRef().getSequence()));
            assertThat(trackIds(all)).isEqualTo(trackIds(uninterrupted));
            assertThat(all)
                    .extracting(TrackedFrame::getSequence)
                    .isEqualTo(uninterrupted.stream().map(TrackedFrame::getSequence).toList());
            assertThat(allEmbedded).isEqualTo(embedded);
        }
        assertThat(trackIds(uninterrupted)).containsOnly(1L, 2L);
    }

    @Test
    void aShotCutEndsEveryTrackAndTheSamePlaceStartsANewOne() throws Exception {
        byte[] stage = new byte[16 * 9];
        byte[] audience = new byte[16 * 9];
        java.util.Arrays.fill(audience, (byte) 120);
        try (var h = harness(settings(false))) {
            h.open();
            for (long s = 0; s < 6; s++) {
                FrameFaces f = moving(s, s == 0 ? null : s - 1, 2);
                f.setSignature(java.nio.ByteBuffer.wrap(s < 4 ? stage : audience));
                send(h, f);
            }
            List<TrackedFrame> out = tracked(h);
            assertThat(trackIds(out)).containsExactly(1L, 1L, 1L, 1L, 2L, 2L);
            assertThat(out.get(4).getEndedTracks()).containsExactly(1L);
        }
    }

    @Test
    void endsTheTracksOfACameraThatWentQuiet() throws Exception {
        try (var h = harness(settings(false))) {
            h.open();
            h.setProcessingTime(0);
            for (long s = 0; s < 5; s++) {
                send(h, moving(s, s == 0 ? null : s - 1, 5));
            }
            h.setProcessingTime(IDLE_MS - 1);
            assertThat(tracked(h)).hasSize(5);
            h.setProcessingTime(IDLE_MS);
            TrackedFrame marker = tracked(h).get(5);
            assertThat(marker.getFrame()).isNull();
            assertThat(marker.getEndedTracks()).containsExactly(1L);
            assertThat(h.numProcessingTimeTimers()).isZero();
        }
    }

    @Test
    void theEndOfInputTracksWaitingFramesAndEndsEveryTrack() throws Exception {
        try (var h = harness(settings(false))) {
            h.open();
            send(h, moving(0, null, 5));
            send(h, moving(1, 0L, 5));
            send(h, moving(5, 4L, 5)); // frames 2-4 never come
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            List<TrackedFrame> out = tracked(h);
            assertThat(out).extracting(TrackedFrame::getSequence).containsExactly(0L, 1L, 5L, 5L);
            assertThat(out.get(3).getFrame()).isNull();
            assertThat(out.get(3).getEndedTracks()).containsExactly(1L);
        }
    }

    @Test
    void facesThatFailAGateAreNotEmbeddedUnlessEveryFrame() throws Exception {
        FrameFaces f0 =
                frame(0, null, List.of(face(0, 100, 100, 60, null), face(1, 300, 100, 60, "POSE")));
        FrameFaces f1 =
                frame(1, 0L, List.of(face(0, 102, 100, 60, null), face(1, 302, 100, 60, "POSE")));
        try (var h = harness(settings(false))) {
            h.open();
            send(h, f0);
            send(h, f1);
            assertThat(h.extractOutputValues())
                    .extracting(
                            c ->
                                    c.getRef().getSequence()
                                            + "#"
                                            + c.getRef().getFace().getFaceIndex())
                    .containsExactly("0#0", "1#0");
            List<DetectedFace> faces = tracked(h).get(1).getFrame().getFaces();
            assertThat(faces).extracting(DetectedFace::getEmbedded).containsExactly(true, false);
            assertThat(faces).extracting(DetectedFace::getTrackId).containsExactly(1L, 2L);
        }
        try (var h = harness(settings(true))) {
            h.open();
            send(h, f0);
            send(h, f1);
            assertThat(h.extractOutputValues()).hasSize(4);
        }
    }

    @Test
    void aFrameWithFiftyFacesKeepsStateBounded() throws Exception {
        try (var h = harness(settings(false))) {
            h.open();
            long started = System.nanoTime();
            for (long s = 0; s < 100; s++) {
                List<DetectedFace> faces = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    // a grid of faces; every 10 frames a new crowd in new places
                    float x = (i % 10) * 60 + (s / 10) * 7;
                    float y = (i / 10) * 60 + (s / 10) * 300;
                    faces.add(face(i, x, y, 40, null));
                }
                send(h, frame(s, s == 0 ? null : s - 1, faces));
            }
            System.out.printf(
                    "50 faces a frame: %.1f ms per frame in the harness%n",
                    (System.nanoTime() - started) / 1e6 / 100);
            List<TrackedFrame> out = tracked(h);
            assertThat(out).hasSize(100);
            assertThat(out.get(0).getFrame().getFaces())
                    .extracting(DetectedFace::getTrackId)
                    .doesNotHaveDuplicates()
                    .hasSize(50);
            // A crowd that left ends after track.max-lost-frames (30): of 10 crowds of 50, at
            // most the last 4 are live, and the tracker's state holds only those.
            int ended = out.stream().mapToInt(t -> t.getEndedTracks().size()).sum();
            assertThat(ended).isGreaterThanOrEqualTo(300);
            assertThat(out.get(99).getFrame().getFaces())
                    .extracting(DetectedFace::getTrackId)
                    .allSatisfy(id -> assertThat(id).isGreaterThan(450L));
        }
    }
}
