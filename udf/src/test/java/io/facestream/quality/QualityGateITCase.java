package io.facestream.quality;

import static org.assertj.core.api.Assertions.assertThat;

import io.facestream.quality.QualityMeasurement.Row;
import io.facestream.testing.TestData;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The default gates on real faces: the people gallery photos and every frame of the Hamilton clip,
 * detected with the default detector (RetinaFace) and identified against the gallery with the
 * default embedder. The people in the clip were labelled by eye from the aligned crops: Lin-Manuel
 * Miranda sings facing the camera; Alex Lacamoire is seen only side-on at the piano (frames 20-80);
 * Barack Obama, in the audience, only side-on (frames 211-274), where the embedder wrongly matches
 * him to the gallery's Obama; dark, blurred audience faces and hands are junk.
 */
class QualityGateITCase {
    static final QualityGate GATE = new QualityGate(QualitySettings.defaults());
    static final double MIN_SIMILARITY = 0.40;

    static QualityMeasurement measurement;
    static List<Row> photos;
    static List<Row> clip;

    @BeforeAll
    static void measure() throws Exception {
        measurement = new QualityMeasurement();
        photos = measurement.galleryFaces(null);
        clip = measurement.videoFaces(TestData.data("video/hamilton_clip.mp4"), null);
    }

    @AfterAll
    static void close() {
        measurement.close();
    }

    @Test
    void everyFaceOfTheGalleryPhotosPasses() {
        assertThat(photos).hasSize(15);
        for (Row r : photos) {
            assertThat(GATE.check(r.q()))
                    .as("%s %s", r.source(), r.q())
                    .returns(true, v -> v.pass());
        }
    }

    @Test
    void lacamoiresProfileIsNotRecognisableBecauseOfPose() {
        // Hand-labelled points on Lacamoire's face, frame -> (x, y), read off the crops.
        Map<Integer, int[]> lacamoire = new TreeMap<>();
        int[][] points = {
            {20, 516, 127}, {23, 454, 156}, {26, 415, 186}, {29, 392, 208}, {32, 369, 233},
            {35, 374, 230}, {38, 392, 242}, {41, 410, 238}, {44, 446, 218}, {47, 518, 164},
            {50, 553, 123}, {69, 578, 135}, {72, 529, 175}, {74, 506, 192}
        };
        for (int[] p : points) {
            lacamoire.put(p[0], new int[] {p[1], p[2]});
        }
        lacamoire.forEach(
                (frame, p) -> {
                    Row r = faceAt(frame, p[0], p[1]);
                    assertThat(GATE.check(r.q()).reason())
                            .as("Lacamoire in frame %d: %s", frame, r.q())
                            .isEqualTo(QualityReason.POSE);
                });
    }

    @Test
    void obamasProfileFailsOnPoseAndSoIsNotMisidentified() {
        List<Row> obama =
                clip.stream().filter(r -> r.frame() >= 211 && contains(r, 355, 90)).toList();
        assertThat(obama).hasSizeGreaterThan(40);
        // Without the gate these are matches: the embedder puts Obama's profile near the gallery's.
        assertThat(obama.stream().filter(r -> r.sim() >= MIN_SIMILARITY)).hasSizeGreaterThan(30);
        for (Row r : obama) {
            // A few overlapping low-score boxes of the same head stop at the first gate.
            QualityReason expected =
                    r.q().score() < GATE.settings().minScore()
                            ? QualityReason.LOW_SCORE
                            : QualityReason.POSE;
            assertThat(GATE.check(r.q()).reason())
                    .as("frame %d %s", r.frame(), r.q())
                    .isEqualTo(expected);
        }
        assertThat(obama.stream().filter(r -> GATE.check(r.q()).reason() == QualityReason.POSE))
                .hasSizeGreaterThan(40);
    }

    @Test
    void junkDoesNotPass() {
        // A dark blob under a ".GOV" sign, detected with scores up to 0.98 in frames 211-274.
        List<Row> blob =
                clip.stream().filter(r -> r.frame() >= 211 && contains(r, 608, 86)).toList();
        assertThat(blob).hasSizeGreaterThan(30);
        assertThat(blob).allSatisfy(r -> assertThat(GATE.check(r.q()).pass()).isFalse());
        // A blurred hand in frames 12 and 13.
        assertThat(GATE.check(faceAt(12, 413, 100).q()).pass()).isFalse();
        assertThat(GATE.check(faceAt(13, 413, 100).q()).pass()).isFalse();
        // No face other than Miranda's that the embedder would match passes.
        assertThat(
                        clip.stream()
                                .filter(r -> r.sim() >= MIN_SIMILARITY)
                                .filter(r -> !r.who().equals("lin_manuel_miranda"))
                                .filter(r -> GATE.check(r.q()).pass()))
                .isEmpty();
    }

    @Test
    void mirandaIsStillRecognisedInAtLeast140Frames() {
        Predicate<Row> miranda =
                r -> r.who().equals("lin_manuel_miranda") && r.sim() >= MIN_SIMILARITY;
        Set<Integer> ungated = frames(clip.stream().filter(miranda).toList());
        Set<Integer> gated =
                frames(
                        clip.stream()
                                .filter(miranda)
                                .filter(r -> GATE.check(r.q()).pass())
                                .toList());
        Set<Integer> anyPass = frames(clip.stream().filter(r -> GATE.check(r.q()).pass()).toList());
        Map<Object, Long> reasons =
                clip.stream()
                        .collect(
                                Collectors.groupingBy(
                                        r -> String.valueOf(GATE.check(r.q()).reason()),
                                        TreeMap::new,
                                        Collectors.counting()));
        System.out.printf(
                "clip: %d detections, verdicts %s; frames with a passing face %d; Miranda"
                        + " recognised in %d frames ungated, %d gated%n",
                clip.size(), reasons, anyPass.size(), ungated.size(), gated.size());
        assertThat(gated).hasSizeGreaterThanOrEqualTo(140);
        assertThat(anyPass).hasSizeGreaterThanOrEqualTo(140);
        // Clear side views (POSE is checked last, so nothing else is wrong with them): Obama's
        // 72 and Lacamoire's 26 among 111 measured.
        assertThat(reasons.getOrDefault("POSE", 0L)).isGreaterThanOrEqualTo(100);
    }

    /**
     * The pose bar (match threshold 0.35 of the 512-d embedder + {@code quality.pose-margin} 0.10)
     * names the clip's clear side views only when they are who the gallery says: Obama's side views
     * clear it in many frames, Lacamoire's (whose gallery photos are frontal) and every other side
     * view stay below it.
     */
    @Test
    void thePoseBarNamesObamasSideViewsAndNoOneElse() {
        double bar = 0.35 + QualityOptions.POSE_MARGIN.defaultValue();
        List<Row> side =
                clip.stream()
                        .filter(r -> GATE.check(r.q()).reason() == QualityReason.POSE)
                        .toList();
        List<Row> named = side.stream().filter(r -> r.sim() >= bar).toList();
        double lacamoireMax =
                side.stream()
                        .filter(r -> r.who().equals("alex_lacamoire"))
                        .mapToDouble(Row::sim)
                        .max()
                        .orElse(-1);
        System.out.printf(
                "clear side views %d; at or above the pose bar %.2f: %d (%s); Lacamoire's best %.3f%n",
                side.size(),
                bar,
                named.size(),
                named.stream().map(Row::who).distinct().toList(),
                lacamoireMax);
        assertThat(named).extracting(Row::who).containsOnly("obama");
        assertThat(frames(named)).hasSizeGreaterThanOrEqualTo(40);
        assertThat(lacamoireMax).isBetween(0.0, bar);
    }

    static Set<Integer> frames(List<Row> rows) {
        return rows.stream().map(Row::frame).collect(Collectors.toSet());
    }

    static boolean contains(Row r, float x, float y) {
        return r.face().x1() <= x && x <= r.face().x2() && r.face().y1() <= y && y <= r.face().y2();
    }

    /** The one detection of {@code frame} whose box holds the labelled point. */
    static Row faceAt(int frame, float x, float y) {
        List<Row> hits =
                clip.stream().filter(r -> r.frame() == frame && contains(r, x, y)).toList();
        assertThat(hits).as("a detection at (%s, %s) in frame %d", x, y, frame).hasSize(1);
        return hits.get(0);
    }
}
