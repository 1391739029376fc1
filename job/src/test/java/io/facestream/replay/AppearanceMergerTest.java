package io.facestream.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.facestream.schema.Box;
import io.facestream.schema.FaceIdentity;
import io.facestream.schema.MatchStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class AppearanceMergerTest {
    private static final Box LEFT = box(100, 100, 200, 200);
    private static final Box RIGHT = box(600, 100, 700, 200);

    @Test
    void mergesConsecutiveMatchesIntoOneAppearance() {
        List<FaceIdentity> in = new ArrayList<>();
        for (int s = 0; s < 10; s++) {
            in.add(matched(s, s * 100, "ann", 0.5f + s * 0.01f, LEFT));
        }
        Collections.reverse(in); // arrival order does not matter

        var r = new AppearanceMerger().merge("v.mp4", in);

        assertThat(r.appearances()).hasSize(1);
        Appearance a = r.appearances().get(0);
        assertThat(a.identity()).isEqualTo("ann");
        assertThat(a.matched()).isTrue();
        assertThat(a.startMs()).isZero();
        assertThat(a.endMs()).isEqualTo(900);
        assertThat(a.frames()).isEqualTo(10);
        assertThat(a.bestSimilarity()).isCloseTo(0.59, within());
        assertThat(a.meanSimilarity()).isCloseTo(0.545, within());
        assertThat(a.bestSequence()).isEqualTo(9);
        assertThat(a.key()).isEqualTo("v.mp4_ann_1");
    }

    @Test
    void gapsShorterThanTheToleranceDoNotSplitButLongerOnesDo() {
        List<FaceIdentity> in =
                List.of(
                        matched(0, 0, "ann", 0.6f, LEFT),
                        matched(9, 900, "ann", 0.6f, LEFT), // 0.9 s gap: same appearance
                        matched(40, 4000, "ann", 0.6f, LEFT), // 3.1 s gap: a new one
                        matched(41, 4100, "ann", 0.6f, LEFT));

        var r = new AppearanceMerger(1000, 0.3).merge("v", in);

        assertThat(r.appearances())
                .extracting(Appearance::startMs, Appearance::endMs, Appearance::ordinal)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(0L, 900L, 1),
                        org.assertj.core.groups.Tuple.tuple(4000L, 4100L, 2));
        assertThat(new AppearanceMerger(5000, 0.3).merge("v", in).appearances()).hasSize(1);
    }

    @Test
    void groupsUnknownFacesIntoTracksByOverlap() {
        List<FaceIdentity> in = new ArrayList<>();
        for (int s = 0; s < 5; s++) {
            // two strangers, each drifting a little to the right
            in.add(unknown(s, s * 40, 0, shift(LEFT, s * 5)));
            in.add(unknown(s, s * 40, 1, shift(RIGHT, s * 5)));
        }
        in.add(unknown(5, 200, 0, box(300, 400, 380, 480))); // a third, elsewhere

        var r = new AppearanceMerger().merge("v", in);

        assertThat(r.appearances())
                .extracting(Appearance::identity, Appearance::frames, Appearance::matched)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("unknown-1", 5, false),
                        org.assertj.core.groups.Tuple.tuple("unknown-2", 5, false),
                        org.assertj.core.groups.Tuple.tuple("unknown-3", 1, false));
        assertThat(r.appearances().get(0).bestBox().getX1()).isLessThan(300);
    }

    @Test
    void ignoresButCountsFailedLookups() {
        FaceIdentity failed = unknown(0, 0, 0, LEFT);
        failed.setStatus(MatchStatus.LOOKUP_FAILED);

        var r =
                new AppearanceMerger()
                        .merge("v", List.of(failed, matched(1, 40, "bo", 0.7f, RIGHT)));

        assertThat(r.lookupFailed()).isEqualTo(1);
        assertThat(r.appearances()).extracting(Appearance::identity).containsExactly("bo");
    }

    @Test
    void aVideoWithoutFacesHasNoAppearances() {
        assertThat(new AppearanceMerger().merge("v", List.of()).appearances()).isEmpty();
    }

    static FaceIdentity matched(long seq, long ms, String who, float sim, Box box) {
        FaceIdentity r = unknown(seq, ms, 0, box);
        r.setStatus(MatchStatus.MATCHED);
        r.setIdentity(who);
        r.setSimilarity(sim);
        return r;
    }

    static FaceIdentity unknown(long seq, long ms, int index, Box box) {
        return FaceIdentity.newBuilder()
                .setCameraId("v")
                .setFrameSequence(seq)
                .setTimestamp(Instant.ofEpochMilli(ms))
                .setFaceIndex(index)
                .setFacesInFrame(1)
                .setBox(box)
                .setLandmarks(List.of())
                .setDetectionScore(0.9f)
                .setStatus(MatchStatus.UNKNOWN)
                .setDetectorModel("d")
                .setEmbedderModel("e")
                .setIngestTime(Instant.EPOCH)
                .setEmitTime(Instant.EPOCH)
                .build();
    }

    static Box box(float x1, float y1, float x2, float y2) {
        return new Box(x1, y1, x2, y2);
    }

    private static Box shift(Box b, float dx) {
        return box(b.getX1() + dx, b.getY1(), b.getX2() + dx, b.getY2());
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(1e-5);
    }
}
