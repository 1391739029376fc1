package io.facestream.track;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class AssociationTest {

    @Test
    void computesIouOfOverlappingAndDisjointBoxes() {
        assertThat(Association.iou(0, 0, 10, 10, 0, 0, 10, 10)).isEqualTo(1.0);
        // 5x10 overlap of two 10x10 boxes: 50 / 150.
        assertThat(Association.iou(0, 0, 10, 10, 5, 0, 15, 10)).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(Association.iou(0, 0, 10, 10, 10, 0, 20, 10)).isZero();
        assertThat(Association.iou(0, 0, 0, 0, 0, 0, 0, 0)).isZero();
    }

    @Test
    void keepsOneGoodPairRatherThanTwoPoorOnes() {
        // Track 0 fits detection 0 well; the only way to match both tracks is two poor pairs.
        double[][] iou = {{0.9, 0.35}, {0.35, 0.0}};
        assertThat(Association.match(iou, 0.3)).containsExactly(0, -1);
    }

    @Test
    void rejectsPairsBelowTheGateAndKeepsPairsAtIt() {
        double[][] iou = {{0.29, 0.0}, {0.0, 0.3}};
        assertThat(Association.match(iou, 0.3)).containsExactly(-1, 1);
    }

    @Test
    void matchesByTotalOverlapWhenDetectionsCompeteForATrack() {
        double[][] iou = {{0.8, 0.7}, {0.75, 0.1}};
        // 0.7 + 0.75 beats 0.8 + (nothing for detection 1).
        assertThat(Association.match(iou, 0.3)).containsExactly(1, 0);
    }

    @Test
    void handlesMoreDetectionsThanTracksAndNone() {
        double[][] iou = {{0.1}, {0.6}, {0.5}};
        assertThat(Association.match(iou, 0.3)).containsExactly(-1, 0, -1);
        assertThat(Association.match(new double[0][0], 0.3)).isEmpty();
        assertThat(Association.match(new double[2][0], 0.3)).containsExactly(-1, -1);
    }

    @Test
    void solvesSeparateGroupsOfFacesIndependently() {
        // Two clusters far apart, each with a greedy trap, plus a lone detection.
        double[][] iou = {
            {0.8, 0.7, 0, 0},
            {0.75, 0, 0, 0},
            {0, 0, 0.6, 0.9},
            {0, 0, 0, 0.8},
            {0, 0, 0, 0}
        };
        assertThat(Association.match(iou, 0.3)).containsExactly(1, 0, 2, 3, -1);
    }

    @Test
    void findsTheCheapestGatedMatchingOnRandomSparseOverlaps() {
        Random random = new Random(21);
        double minIou = 0.3;
        for (int trial = 0; trial < 300; trial++) {
            int n = random.nextInt(6);
            int m = random.nextInt(6);
            double[][] iou = new double[n][m];
            for (double[] row : iou) {
                for (int j = 0; j < m; j++) {
                    row[j] = random.nextDouble() < 0.4 ? random.nextDouble() : 0;
                }
            }
            int[] matched = Association.match(iou, minIou);
            boolean[] usedTracks = new boolean[m];
            for (int i = 0; i < n; i++) {
                if (matched[i] >= 0) {
                    assertThat(iou[i][matched[i]]).isGreaterThanOrEqualTo(minIou);
                    assertThat(usedTracks[matched[i]]).isFalse();
                    usedTracks[matched[i]] = true;
                }
            }
            assertThat(cost(iou, m, matched, minIou))
                    .isCloseTo(best(iou, minIou, 0, new boolean[m]), within(1e-9));
        }
    }

    /** Each pair costs 1 - IoU; each unmatched detection or track costs half the gate. */
    private static double cost(double[][] iou, int m, int[] matched, double minIou) {
        double half = (1 - minIou) / 2;
        double total = 0;
        int pairs = 0;
        for (int i = 0; i < matched.length; i++) {
            if (matched[i] >= 0) {
                total += 1 - iou[i][matched[i]];
                pairs++;
            }
        }
        return total + half * (matched.length - pairs) + half * (m - pairs);
    }

    private static double best(double[][] iou, double minIou, int det, boolean[] used) {
        int m = used.length;
        double half = (1 - minIou) / 2;
        if (det == iou.length) {
            int free = 0;
            for (boolean u : used) {
                free += u ? 0 : 1;
            }
            return half * free;
        }
        double best = half + best(iou, minIou, det + 1, used);
        for (int j = 0; j < m; j++) {
            if (!used[j] && iou[det][j] >= minIou) {
                used[j] = true;
                best = Math.min(best, 1 - iou[det][j] + best(iou, minIou, det + 1, used));
                used[j] = false;
            }
        }
        return best;
    }
}
