package io.facestream.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/** Gate order, reasons, the quality rank and the configuration keys. */
class QualityGateTest {
    static final QualitySettings S = new QualitySettings(10f, 50f, 40f, 30f, 0.7f);
    static final FaceQuality GOOD = new FaceQuality(30f, 80f, 300f, 5f, -3f, 0.99f);

    @Test
    void goodFacePasses() {
        QualityVerdict v = new QualityGate(S).check(GOOD);
        assertThat(v.pass()).isTrue();
        assertThat(v.reason()).isNull();
        assertThat(v.quality()).isBetween(0.5f, 1f);
    }

    @Test
    void eachGateFailsOnItsOwn() {
        QualityGate g = new QualityGate(S);
        assertThat(g.check(new FaceQuality(30, 80, 300, 5, -3, 0.6f)).reason())
                .isEqualTo(QualityReason.LOW_SCORE);
        assertThat(g.check(new FaceQuality(8, 20, 300, 5, -3, 0.99f)).reason())
                .isEqualTo(QualityReason.TOO_SMALL);
        assertThat(g.check(new FaceQuality(30, 80, 300, -41, -3, 0.99f)).reason())
                .isEqualTo(QualityReason.POSE);
        assertThat(g.check(new FaceQuality(30, 80, 300, 5, 31, 0.99f)).reason())
                .isEqualTo(QualityReason.POSE);
        assertThat(g.check(new FaceQuality(30, 80, 49, 5, -3, 0.99f)).reason())
                .isEqualTo(QualityReason.BLURRED);
    }

    @Test
    void firstFailedGateIsTheReason() {
        QualityGate g = new QualityGate(S);
        FaceQuality allBad = new FaceQuality(2, 4, 1, 80, 60, 0.1f);
        assertThat(g.check(allBad).reason()).isEqualTo(QualityReason.LOW_SCORE);
        FaceQuality smallTurnedBlurred = new FaceQuality(2, 4, 1, 80, 60, 0.9f);
        assertThat(g.check(smallTurnedBlurred).reason()).isEqualTo(QualityReason.TOO_SMALL);
        // Blur before pose: POSE means a clear face seen from the side, nothing else wrong.
        FaceQuality turnedBlurred = new FaceQuality(30, 80, 1, 80, 0, 0.9f);
        assertThat(g.check(turnedBlurred).reason()).isEqualTo(QualityReason.BLURRED);
        FaceQuality turnedSharp = new FaceQuality(30, 80, 300, 80, 0, 0.9f);
        assertThat(g.check(turnedSharp).reason()).isEqualTo(QualityReason.POSE);
    }

    @Test
    void aBigProfileFaceIsJudgedOnPoseNotSize() {
        // Eyes 4 px apart because the head is turned, but the box is 60 px: frontal size 24 px.
        FaceQuality profile = new FaceQuality(4, 60, 300, 80, 0, 0.95f);
        assertThat(new QualityGate(S).check(profile).reason()).isEqualTo(QualityReason.POSE);
    }

    @Test
    void nanMeasuresFailTheirGate() {
        FaceQuality nanSharp = new FaceQuality(30, 80, Float.NaN, 0, 0, 0.99f);
        assertThat(new QualityGate(S).check(nanSharp).reason()).isEqualTo(QualityReason.BLURRED);
        assertThat(new QualityGate(S).check(nanSharp).quality()).isEqualTo(0f);
    }

    @Test
    void offPassesEverythingButStillRanks() {
        QualityGate off = new QualityGate(QualitySettings.off());
        FaceQuality awful = new FaceQuality(1, 2, 0.5f, -90, 90, 0.01f);
        assertThat(off.check(awful).pass()).isTrue();
        assertThat(off.check(awful).quality()).isLessThan(off.check(GOOD).quality());
    }

    @Test
    void qualityRanksBetterFacesHigher() {
        float good = QualityGate.quality(GOOD);
        assertThat(QualityGate.quality(new FaceQuality(30, 80, 300, 35, -3, 0.99f)))
                .isLessThan(good);
        assertThat(QualityGate.quality(new FaceQuality(30, 80, 60, 5, -3, 0.99f))).isLessThan(good);
        assertThat(QualityGate.quality(new FaceQuality(12, 30, 300, 5, -3, 0.99f)))
                .isLessThan(good);
        assertThat(QualityGate.quality(new FaceQuality(30, 80, 300, 5, -3, 0.75f)))
                .isLessThan(good);
    }

    @Test
    void readsTheConfigurationKeys() {
        Configuration c =
                Configuration.fromMap(
                        Map.of(
                                "quality.min-inter-ocular", "12",
                                "quality.min-sharpness", "33.5",
                                "quality.max-yaw", "50",
                                "quality.max-pitch", "35",
                                "quality.min-score", "0.8"));
        assertThat(QualityOptions.fromConfig(c))
                .isEqualTo(new QualitySettings(12f, 33.5f, 50f, 35f, 0.8f));
        assertThat(QualitySettings.fromConfig(new Configuration()))
                .isEqualTo(QualitySettings.defaults());
        c.set(QualityOptions.ENABLED, false);
        assertThat(QualityOptions.fromConfig(c)).isEqualTo(QualitySettings.off());
    }

    @Test
    void refusesThresholdsOutOfRangeNamingTheKey() {
        assertThatThrownBy(() -> new QualitySettings(-1, 0, 45, 45, 0.5f))
                .hasMessageContaining("quality.min-inter-ocular");
        assertThatThrownBy(() -> new QualitySettings(0, 0, 120, 45, 0.5f))
                .hasMessageContaining("quality.max-yaw");
        assertThatThrownBy(() -> new QualitySettings(0, 0, 45, 45, 1.5f))
                .hasMessageContaining("quality.min-score");
        assertThatThrownBy(() -> new QualitySettings(0, Float.NaN, 45, 45, 0.5f))
                .hasMessageContaining("quality.min-sharpness");
    }
}
