package io.facestream.track;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class HungarianTest {

    @Test
    void solvesTheTextbookSquareMatrix() {
        // Worked out by hand: the unique optimum is r0->c1, r1->c0, r2->c2 = 1 + 2 + 2; the
        // row minima (r0->c1, r1->c1) collide, the next best totals are 6.
        double[][] cost = {{4, 1, 3}, {2, 0, 5}, {3, 2, 2}};
        assertThat(Hungarian.solve(cost)).containsExactly(1, 0, 2);
        assertThat(total(cost, Hungarian.solve(cost))).isEqualTo(5);
    }

    @Test
    void leavesTheDearestColumnsFreeWhenColumnsOutnumberRows() {
        double[][] cost = {{9, 1, 8, 7}, {2, 9, 9, 3}};
        assertThat(Hungarian.solve(cost)).containsExactly(1, 0);
    }

    @Test
    void leavesTheDearestRowsUnassignedWhenRowsOutnumberColumns() {
        double[][] cost = {{5, 9}, {1, 8}, {7, 2}, {6, 6}};
        assertThat(Hungarian.solve(cost)).containsExactly(-1, 0, 1, -1);
    }

    @Test
    void prefersTheOptimumOverTheGreedyChoice() {
        // Greedy takes r0->c0 (1) and must then pay 100; the optimum pays 2 + 3.
        double[][] cost = {{1, 2}, {3, 100}};
        assertThat(Hungarian.solve(cost)).containsExactly(1, 0);
    }

    @Test
    void handlesEmptyAndNegativeMatrices() {
        assertThat(Hungarian.solve(new double[0][0])).isEmpty();
        assertThat(Hungarian.solve(new double[2][0])).containsExactly(-1, -1);
        double[][] cost = {{-1, -5}, {-3, -2}};
        assertThat(Hungarian.solve(cost)).containsExactly(1, 0);
    }

    @Test
    void refusesNonFiniteCosts() {
        assertThatThrownBy(() -> Hungarian.solve(new double[][] {{1, Double.NaN}}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void matchesBruteForceOnSmallMatrices() {
        Random random = new Random(12);
        for (int trial = 0; trial < 300; trial++) {
            int rows = 1 + random.nextInt(6);
            int cols = 1 + random.nextInt(6);
            double[][] cost = new double[rows][cols];
            for (double[] row : cost) {
                for (int j = 0; j < cols; j++) {
                    row[j] = random.nextInt(20);
                }
            }
            int[] solved = Hungarian.solve(cost);
            assertThat(solved.length).isEqualTo(rows);
            assertThat(java.util.Arrays.stream(solved).filter(c -> c >= 0).distinct().count())
                    .isEqualTo(Math.min(rows, cols));
            assertThat(total(cost, solved)).isEqualTo(bruteForce(cost, 0, new boolean[cols]));
        }
    }

    private static double total(double[][] cost, int[] rowToCol) {
        double sum = 0;
        for (int i = 0; i < rowToCol.length; i++) {
            if (rowToCol[i] >= 0) {
                sum += cost[i][rowToCol[i]];
            }
        }
        return sum;
    }

    /** Smallest total over all assignments of min(rows, cols) pairs. */
    private static double bruteForce(double[][] cost, int row, boolean[] usedCols) {
        int rows = cost.length;
        int cols = usedCols.length;
        int free = 0;
        for (boolean u : usedCols) {
            free += u ? 0 : 1;
        }
        if (row == rows || free == 0) {
            return 0;
        }
        double best = Double.POSITIVE_INFINITY;
        // A row may stay unassigned only when there are more rows left than free columns.
        if (rows - row > free) {
            best = bruteForce(cost, row + 1, usedCols);
        }
        for (int j = 0; j < cols; j++) {
            if (!usedCols[j]) {
                usedCols[j] = true;
                best = Math.min(best, cost[row][j] + bruteForce(cost, row + 1, usedCols));
                usedCols[j] = false;
            }
        }
        return best;
    }
}
