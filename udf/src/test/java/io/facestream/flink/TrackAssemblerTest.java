package io.facestream.flink;

import static io.facestream.flink.TrackedFrames.CAMERA;
import static io.facestream.flink.TrackedFrames.face;
import static io.facestream.flink.TrackedFrames.frame;
import static org.assertj.core.api.Assertions.assertThat;

import io.facestream.schema.AppearanceEvent;
import io.facestream.schema.FaceAppearance;
import io.facestream.schema.FaceIdentity;
import io.facestream.schema.MatchStatus;
import io.facestream.schema.internal.DetectedFace;
import io.facestream.schema.internal.FaceMatches;
import io.facestream.schema.internal.FaceRef;
import io.facestream.schema.internal.FrameFaces;
import io.facestream.schema.internal.GalleryMatch;
import io.facestream.schema.internal.TrackedFrame;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The per-camera assembler in Flink's keyed two-input harness: frame order, the track vote,
 * not-recognisable faces, appearance events, timeouts and a restore.
 */
class TrackAssemblerTest {
    static final long TIMEOUT_MS = 1_000;

    static KeyedTwoInputStreamOperatorTestHarness<String, TrackedFrame, FaceMatches, FaceIdentity>
            harness(boolean everyFrame) throws Exception {
        AssembleSettings a =
                new AssembleSettings(
                        0.4f, Float.POSITIVE_INFINITY, "g", TIMEOUT_MS, false, 85, false);
        return new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(
                        new TrackAssembler(a, TrackerFunctionTest.settings(everyFrame))),
                TrackedFrame::getCameraId,
                m -> m.getRef().getCameraId(),
                Types.STRING);
    }

    /** Frame {@code seq} after the tracker: one face of track 1 (confirmed from frame 2). */
    static TrackedFrame tracked(long seq, boolean embedded, String gate) {
        DetectedFace d = face(0, 100 + 3 * seq, 100, 60, gate);
        d.setTrackId(1L);
        d.setTrackConfirmed(seq >= 2);
        d.setEmbedded(embedded);
        FrameFaces f = frame(seq, seq == 0 ? null : seq - 1, List.of(d));
        f.setCrops(List.of());
        return TrackedFrame.newBuilder().setCameraId(CAMERA).setSequence(seq).setFrame(f).build();
    }

    static TrackedFrame ended(long seq, long... tracks) {
        List<Long> ids = new ArrayList<>();
        for (long t : tracks) {
            ids.add(t);
        }
        return TrackedFrame.newBuilder()
                .setCameraId(CAMERA)
                .setSequence(seq)
                .setFrame(null)
                .setEndedTracks(ids)
                .build();
    }

    /** The lookup result of frame {@code seq}'s face 0: {@code identity} at {@code similarity}. */
    static FaceMatches matches(TrackedFrame t, String identity, float similarity) {
        DetectedFace d = t.getFrame().getFaces().get(0);
        return FaceMatches.newBuilder()
                .setRef(
                        FaceRef.newBuilder()
                                .setCameraId(CAMERA)
                                .setSequence(t.getSequence())
                                .setTimestamp(t.getFrame().getFrame().getTimestamp().toEpochMilli())
                                .setIngestTime(0)
                                .setFacesInFrame(1)
                                .setDetectorModel("test-detector")
                                .setFace(d)
                                .build())
                .setEmbedderModel("test-embedder")
                .setMatches(
                        List.of(
                                new GalleryMatch(identity + "/1", identity, similarity, null),
                                new GalleryMatch("other/1", "other", 0.1f, null)))
                .build();
    }

    static List<FaceAppearance> appearances(
            KeyedTwoInputStreamOperatorTestHarness<String, TrackedFrame, FaceMatches, FaceIdentity>
                    h) {
        List<FaceAppearance> out = new ArrayList<>();
        var q = h.getSideOutput(TrackAssembler.APPEARANCES);
        if (q != null) {
            q.forEach(r -> out.add(r.getValue()));
        }
        return out;
    }

    static void frameIn(
            KeyedTwoInputStreamOperatorTestHarness<String, TrackedFrame, FaceMatches, FaceIdentity>
                    h,
            TrackedFrame t)
            throws Exception {
        h.processElement1(new StreamRecord<>(t, 0));
    }

    static void matchIn(
            KeyedTwoInputStreamOperatorTestHarness<String, TrackedFrame, FaceMatches, FaceIdentity>
                    h,
            FaceMatches m)
            throws Exception {
        h.processElement2(new StreamRecord<>(m, 0));
    }

    @Test
    void everyFaceOfATrackCarriesTheVotedIdentityInFrameOrder() throws Exception {
        List<TrackedFrame> frames = new ArrayList<>();
        for (long s = 0; s < 6; s++) {
            frames.add(tracked(s, s == 0 || s == 1 || s == 3, null));
        }
        try (var h = harness(false)) {
            h.open();
            for (TrackedFrame t : frames) {
                frameIn(h, t);
            }
            assertThat(h.extractOutputValues()).isEmpty();
            // Matches arrive out of order: frame 1's before frame 0's.
            matchIn(h, matches(frames.get(1), "obama", 0.62f));
            assertThat(h.extractOutputValues()).isEmpty();
            matchIn(h, matches(frames.get(0), "obama", 0.55f));
            assertThat(h.extractOutputValues())
                    .extracting(FaceIdentity::getFrameSequence)
                    .containsExactly(0L, 1L, 2L);
            matchIn(h, matches(frames.get(3), "obama", 0.58f));
            List<FaceIdentity> ids = h.extractOutputValues();
            assertThat(ids)
                    .extracting(FaceIdentity::getFrameSequence)
                    .containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
            assertThat(ids).allSatisfy(i -> assertThat(i.getTrackId()).isEqualTo(1L));
            // One decision is not enough for a name (minWins 2); from the second on, every face.
            assertThat(ids.get(0).getStatus()).isEqualTo(MatchStatus.UNKNOWN);
            assertThat(ids.subList(1, 6))
                    .allSatisfy(
                            i -> {
                                assertThat(i.getStatus()).isEqualTo(MatchStatus.MATCHED);
                                assertThat(i.getIdentity()).isEqualTo("obama");
                                assertThat(i.getSimilarity()).isEqualTo(0.62f);
                            });

            frameIn(h, ended(5, 1L));
            List<FaceAppearance> events = appearances(h);
            assertThat(events)
                    .extracting(FaceAppearance::getEvent)
                    .containsExactly(AppearanceEvent.STARTED, AppearanceEvent.ENDED);
            FaceAppearance end = events.get(1);
            assertThat(end.getIdentity()).isEqualTo("obama");
            assertThat(end.getStatus()).isEqualTo(MatchStatus.MATCHED);
            assertThat(end.getFirstSequence()).isZero();
            assertThat(end.getLastSequence()).isEqualTo(5L);
            assertThat(end.getFramesSeen()).isEqualTo(6);
            assertThat(end.getFacesEmbedded()).isEqualTo(3);
            assertThat(end.getThumbnail()).isNotNull();
            byte[] jpeg = Frames.bytes(end.getThumbnail());
            assertThat(jpeg[0] & 0xff).isEqualTo(0xFF);
            assertThat(jpeg[1] & 0xff).isEqualTo(0xD8);
            assertThat(h.numKeyedStateEntries())
                    .as("the ended track's state is gone")
                    .isLessThanOrEqualTo(3);
        }
    }

    @Test
    void announcesTheIdentityOfAStartedTrackOnceItIsDecided() throws Exception {
        try (var h = harness(false)) {
            h.open();
            for (long s = 0; s < 4; s++) {
                TrackedFrame t = tracked(s, s >= 2, null);
                frameIn(h, t);
                if (s >= 2) {
                    matchIn(h, matches(t, "biden", 0.5f));
                }
            }
            assertThat(appearances(h))
                    .extracting(FaceAppearance::getEvent, FaceAppearance::getIdentity)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(AppearanceEvent.STARTED, null),
                            org.assertj.core.groups.Tuple.tuple(
                                    AppearanceEvent.IDENTIFIED, "biden"));
        }
    }

    /** The assembler with side views identified above 0.4 + 0.1 = 0.5. */
    static KeyedTwoInputStreamOperatorTestHarness<String, TrackedFrame, FaceMatches, FaceIdentity>
            poseHarness() throws Exception {
        AssembleSettings a =
                new AssembleSettings(
                        0.4f, Float.POSITIVE_INFINITY, "g", TIMEOUT_MS, false, 85, false);
        TrackSettings t = TrackerFunctionTest.settings(false);
        TrackSettings pose =
                new TrackSettings(
                        t.tracker(),
                        t.vote(),
                        t.gapTimeoutMs(),
                        t.idleTimeoutMs(),
                        t.cutThreshold(),
                        t.maxWaitingFrames(),
                        0.1f);
        return new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new TrackAssembler(a, pose)),
                TrackedFrame::getCameraId,
                m -> m.getRef().getCameraId(),
                Types.STRING);
    }

    @Test
    void aSideViewBelowThePoseBarIsNoEvidenceAndAboveItNamesTheTrack() throws Exception {
        try (var h = poseHarness()) {
            h.open();
            // Above the match threshold (0.4) but below the pose bar (0.5): not a stranger, no
            // vote.
            for (long s = 0; s < 2; s++) {
                TrackedFrame t = tracked(s, true, "POSE");
                frameIn(h, t);
                matchIn(h, matches(t, "obama", 0.45f));
            }
            assertThat(h.extractOutputValues())
                    .extracting(
                            FaceIdentity::getStatus,
                            FaceIdentity::getReason,
                            FaceIdentity::getIdentity)
                    .containsOnly(
                            org.assertj.core.groups.Tuple.tuple(
                                    MatchStatus.NOT_RECOGNISABLE, "POSE", null));
            // Two side views above the bar: the vote names the track (minWins 2).
            for (long s = 2; s < 4; s++) {
                TrackedFrame t = tracked(s, true, "POSE");
                frameIn(h, t);
                matchIn(h, matches(t, "obama", 0.52f));
            }
            List<FaceIdentity> ids = h.extractOutputValues();
            FaceIdentity first = ids.get(2);
            assertThat(first.getStatus()).isEqualTo(MatchStatus.NOT_RECOGNISABLE);
            assertThat(first.getIdentity()).as("one win is not a name yet").isNull();
            FaceIdentity second = ids.get(3);
            assertThat(second.getStatus()).isEqualTo(MatchStatus.MATCHED);
            assertThat(second.getIdentity()).isEqualTo("obama");
            assertThat(second.getReason()).isNull();
        }
    }

    @Test
    void withoutThePoseRuleASideViewsResultIsNeverUsed() throws Exception {
        // TrackSettings without a pose margin: side views are not embedded; one that was (a late
        // schedule change) still cannot name anyone.
        try (var h = harness(false)) {
            h.open();
            for (long s = 0; s < 3; s++) {
                TrackedFrame t = tracked(s, true, "POSE");
                frameIn(h, t);
                matchIn(h, matches(t, "obama", 0.9f));
            }
            assertThat(h.extractOutputValues())
                    .extracting(FaceIdentity::getStatus, FaceIdentity::getIdentity)
                    .containsOnly(
                            org.assertj.core.groups.Tuple.tuple(
                                    MatchStatus.NOT_RECOGNISABLE, null));
        }
    }

    @Test
    void aFaceThatFailedAGateIsNotRecognisableAndKeepsItsTracksName() throws Exception {
        try (var h = harness(false)) {
            h.open();
            TrackedFrame t0 = tracked(0, true, null);
            TrackedFrame t1 = tracked(1, true, null);
            TrackedFrame t2 = tracked(2, false, "POSE");
            frameIn(h, t0);
            matchIn(h, matches(t0, "obama", 0.6f));
            frameIn(h, t1);
            matchIn(h, matches(t1, "obama", 0.6f));
            frameIn(h, t2);
            FaceIdentity last = h.extractOutputValues().get(2);
            assertThat(last.getStatus()).isEqualTo(MatchStatus.NOT_RECOGNISABLE);
            assertThat(last.getReason()).isEqualTo("POSE");
            assertThat(last.getIdentity()).isEqualTo("obama");
        }
    }

    @Test
    void aTrackWhoseFacesAllFailTheGatesEndsNotRecognisable() throws Exception {
        try (var h = harness(false)) {
            h.open();
            for (long s = 0; s < 4; s++) {
                frameIn(h, tracked(s, false, s == 0 ? "BLURRED" : "POSE"));
            }
            frameIn(h, ended(3, 1L));
            FaceAppearance end = appearances(h).get(1);
            assertThat(end.getEvent()).isEqualTo(AppearanceEvent.ENDED);
            assertThat(end.getStatus()).isEqualTo(MatchStatus.NOT_RECOGNISABLE);
            assertThat(end.getReason()).isEqualTo("POSE");
            assertThat(end.getThumbnail()).as("no face passed: no thumbnail").isNull();
            assertThat(h.extractOutputValues())
                    .extracting(FaceIdentity::getStatus)
                    .containsOnly(MatchStatus.NOT_RECOGNISABLE);
        }
    }

    @Test
    void aMissingLookupResultFailsItsFaceAfterTheTimeoutAndTheCameraGoesOn() throws Exception {
        try (var h = harness(false)) {
            h.open();
            h.setProcessingTime(0);
            TrackedFrame t0 = tracked(0, true, null);
            TrackedFrame t1 = tracked(1, true, null);
            frameIn(h, t0);
            frameIn(h, t1);
            matchIn(h, matches(t1, "obama", 0.6f));
            h.setProcessingTime(TIMEOUT_MS - 1);
            assertThat(h.extractOutputValues()).isEmpty();
            h.setProcessingTime(TIMEOUT_MS);
            List<FaceIdentity> ids = h.extractOutputValues();
            assertThat(ids)
                    .extracting(FaceIdentity::getStatus)
                    .containsExactly(MatchStatus.LOOKUP_FAILED, MatchStatus.UNKNOWN);
            assertThat(ids.get(0).getError()).contains("assemble.timeout");
            assertThat(h.numProcessingTimeTimers()).isZero();
        }
    }

    @Test
    void theEndOfInputCompletesWaitingFrames() throws Exception {
        try (var h = harness(false)) {
            h.open();
            frameIn(h, tracked(0, true, null));
            frameIn(h, tracked(1, false, null));
            h.processBothWatermarks(new Watermark(Long.MAX_VALUE));
            assertThat(h.extractOutputValues()).hasSize(2);
        }
    }

    @Test
    void aRestoreInTheMiddleGivesTheSameRecords() throws Exception {
        List<TrackedFrame> frames = new ArrayList<>();
        for (long s = 0; s < 8; s++) {
            frames.add(tracked(s, s % 2 == 0, null));
        }
        List<String> uninterrupted = new ArrayList<>();
        try (var h = harness(false)) {
            h.open();
            for (TrackedFrame t : frames) {
                frameIn(h, t);
                if (t.getFrame().getFaces().get(0).getEmbedded()) {
                    matchIn(h, matches(t, "obama", 0.5f + t.getSequence() / 100f));
                }
            }
            h.extractOutputValues().forEach(i -> uninterrupted.add(describe(i)));
        }
        OperatorSubtaskState snapshot;
        List<String> resumed = new ArrayList<>();
        try (var h = harness(false)) {
            h.open();
            for (int i = 0; i < 5; i++) {
                frameIn(h, frames.get(i)); // frame 4's match is still out at the snapshot
                if (i < 4 && frames.get(i).getFrame().getFaces().get(0).getEmbedded()) {
                    matchIn(h, matches(frames.get(i), "obama", 0.5f + i / 100f));
                }
            }
            h.extractOutputValues().forEach(i -> resumed.add(describe(i)));
            snapshot = h.snapshot(1, 1);
        }
        try (var h = harness(false)) {
            h.initializeState(snapshot);
            h.open();
            matchIn(h, matches(frames.get(4), "obama", 0.54f));
            for (int i = 5; i < 8; i++) {
                frameIn(h, frames.get(i));
                if (frames.get(i).getFrame().getFaces().get(0).getEmbedded()) {
                    matchIn(h, matches(frames.get(i), "obama", 0.5f + i / 100f));
                }
            }
            h.extractOutputValues().forEach(i -> resumed.add(describe(i)));
        }
        assertThat(resumed).isEqualTo(uninterrupted).hasSize(8);
    }

    @Test
    void everyFrameModeDecidesEachFaceOnItsOwn() throws Exception {
        try (var h = harness(true)) {
            h.open();
            TrackedFrame t0 = tracked(0, true, null);
            TrackedFrame t1 = tracked(1, true, null);
            frameIn(h, t0);
            matchIn(h, matches(t0, "obama", 0.6f));
            frameIn(h, t1);
            matchIn(h, matches(t1, "obama", 0.3f));
            assertThat(h.extractOutputValues())
                    .extracting(FaceIdentity::getStatus)
                    .containsExactly(MatchStatus.MATCHED, MatchStatus.UNKNOWN);
        }
    }

    static String describe(FaceIdentity i) {
        return i.getFrameSequence()
                + ":"
                + i.getTrackId()
                + ":"
                + i.getStatus()
                + ":"
                + i.getIdentity()
                + ":"
                + i.getSimilarity();
    }

    @Test
    void aPictureSentAheadOfItsFrameIsPutBackForTheThumbnailAndThenDropped() throws Exception {
        try (var h = harness(false)) {
            h.open();
            TrackedFrame full = tracked(2, true, null); // confirmed, so its appearance starts
            // What the tracker sends for a frame that waited: the picture first, then the frame
            // without it.
            frameIn(h, WaitingFrames.pictureAhead(full.getFrame()));
            TrackedFrame slim =
                    TrackedFrame.newBuilder(full)
                            .setFrame(
                                    WaitingFrames.slim(
                                            full.getFrame(), TrackerFunctionTest.settings(false)))
                            .build();
            assertThat(WaitingFrames.pictureWentAhead(slim.getFrame())).isTrue();
            frameIn(h, slim);
            int withPicture = h.numKeyedStateEntries();
            matchIn(h, matches(full, "obama", 0.6f));
            assertThat(h.extractOutputValues()).hasSize(1);
            assertThat(h.numKeyedStateEntries())
                    .as("the picture is dropped once its frame completed")
                    .isLessThan(withPicture);
            frameIn(h, ended(2, 1L));
            FaceAppearance end = appearances(h).get(appearances(h).size() - 1);
            assertThat(end.getEvent()).isEqualTo(AppearanceEvent.ENDED);
            byte[] jpeg = Frames.bytes(end.getThumbnail());
            assertThat(jpeg.length).isGreaterThan(100);
            assertThat(jpeg[0] & 0xff).isEqualTo(0xFF);
            assertThat(jpeg[1] & 0xff).isEqualTo(0xD8);
        }
    }
}
