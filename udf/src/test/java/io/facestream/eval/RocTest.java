package io.facestream.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** ROC, TAR@FAR, EER and the FAR bound on a case small enough to check by hand. */
class RocTest {
    // Accepted when score >= threshold. Worked out by hand in the comments below.
    static final double[] GENUINE = {0.9, 0.8, 0.6, 0.3};
    static final double[] IMPOSTOR = {0.1, 0.2, 0.35, 0.5, 0.7};
    final Roc roc = new Roc(GENUINE, IMPOSTOR);

    @Test
    void countsAcceptedPairsAtAThreshold() {
        // impostors >= 0.5: 0.5, 0.7; genuine >= 0.5: 0.9, 0.8, 0.6
        assertThat(roc.far(0.5)).isEqualTo(0.4);
        assertThat(roc.tar(0.5)).isEqualTo(0.75);
        assertThat(roc.frr(0.5)).isEqualTo(0.25);
        assertThat(roc.falseAccepts(0.71)).isZero();
    }

    @Test
    void findsTheLowestThresholdMeetingATargetFar() {
        // FAR 0.2 of 5 impostors allows one false accept (0.7): the threshold is just above 0.5.
        assertThat(roc.thresholdForFar(0.2)).isEqualTo(Math.nextUp(0.5));
        assertThat(roc.far(roc.thresholdForFar(0.2))).isEqualTo(0.2);
        assertThat(roc.tarAtFar(0.2)).isEqualTo(0.75);
        // FAR 1 % of 5 allows none: just above the highest impostor 0.7, leaving 0.9 and 0.8.
        assertThat(roc.thresholdForFar(0.01)).isEqualTo(Math.nextUp(0.7));
        assertThat(roc.tarAtFar(0.01)).isEqualTo(0.5);
        assertThat(roc.thresholdForFar(1.0)).isEqualTo(-1);
    }

    @Test
    void equalErrorRateIsWhereFarAndFrrMeet() {
        // t=0.5: FAR .4 FRR .25; t=0.6: FAR .2 FRR .25 (gap .05, the smallest); t=0.7: .2 / .5
        Roc.Eer eer = roc.eer();
        assertThat(eer.threshold()).isEqualTo(0.6);
        assertThat(eer.value()).isCloseTo(0.225, within(1e-12));
    }

    @Test
    void rocRunsFromEverythingAcceptedToNothingAccepted() {
        var points = roc.points(200);
        assertThat(points).hasSize(10); // 9 distinct scores + just above the highest
        assertThat(points.get(0).far()).isEqualTo(1.0);
        assertThat(points.get(0).tar()).isEqualTo(1.0);
        assertThat(points.get(points.size() - 1).far()).isZero();
        assertThat(points.get(points.size() - 1).tar()).isZero();
        assertThat(roc.points(4)).hasSizeLessThanOrEqualTo(5);
    }

    @Test
    void boundsAMeasuredFarByTheNumberOfImpostors() {
        // zero of n accepted: exact upper bound 1 - 0.05^(1/n)
        assertThat(FarBound.upper(0, 5)).isCloseTo(1 - Math.pow(0.05, 0.2), within(1e-9));
        assertThat(FarBound.pairsNeeded(0.01)).isEqualTo(299);
        assertThat(FarBound.upper(0, 299)).isLessThanOrEqualTo(0.01);
        assertThat(FarBound.upper(0, 298)).isGreaterThan(0.01);
        assertThat(FarBound.upper(3, 1000)).isBetween(0.003, 0.01);
        assertThat(FarBound.upper(0, 0)).isEqualTo(1);
        // 5 impostors cannot show FAR 1 % even with none accepted
        assertThat(roc.confidentThresholdForFar(0.01)).isNaN();
        assertThat(roc.confidentThresholdForFar(0.5)).isEqualTo(Math.nextUp(0.7));
    }

    @Test
    void summarisesADistribution() {
        ScoreSummary s = ScoreSummary.of(IMPOSTOR);
        assertThat(s.count()).isEqualTo(5);
        assertThat(s.min()).isEqualTo(0.1);
        assertThat(s.max()).isEqualTo(0.7);
        assertThat(s.mean()).isCloseTo(0.37, within(1e-12));
        assertThat(s.p50()).isEqualTo(0.35);
        // bins of 0.05 from -1: 0.1 -> bin 22, 0.7 -> bin 34
        assertThat(s.histogram()[22]).isEqualTo(1);
        assertThat(s.histogram()[34]).isEqualTo(1);
        assertThat(java.util.Arrays.stream(s.histogram()).sum()).isEqualTo(5);
    }
}
