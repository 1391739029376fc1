package io.facestream.track;

import java.util.Arrays;

/**
 * Gated optimal association of detections with tracks by box overlap. The cost of a pair is 1 -
 * IoU; a pair below {@code minIou} is not allowed; leaving a detection or a track unmatched costs
 * half the gate (1 - minIou) each, as {@code lap.lapjv(cost_limit=...)} does in ByteTrack. So a
 * pair is made only when it is cheaper than leaving both sides unmatched, and one good pair is
 * never given up for two poor ones (plain Hungarian-then-filter, as in SORT, can do that).
 */
final class Association {
    private static final double FORBIDDEN = 2.0;

    private Association() {}

    /** Intersection over union of two boxes (x1, y1, x2, y2) in pixels; 0 when either is empty. */
    static double iou(
            double ax1,
            double ay1,
            double ax2,
            double ay2,
            double bx1,
            double by1,
            double bx2,
            double by2) {
        double iw = Math.min(ax2, bx2) - Math.max(ax1, bx1);
        double ih = Math.min(ay2, by2) - Math.max(ay1, by1);
        if (iw <= 0 || ih <= 0) {
            return 0;
        }
        double inter = iw * ih;
        double union = (ax2 - ax1) * (ay2 - ay1) + (bx2 - bx1) * (by2 - by1) - inter;
        return union <= 0 ? 0 : inter / union;
    }

    /**
     * @param iou iou[detection][track]
     * @param minIou smallest IoU of an allowed pair
     * @return for each detection the index of its track, or -1
     */
    static int[] match(double[][] iou, double minIou) {
        int n = iou.length;
        int m = n == 0 ? 0 : iou[0].length;
        int[] detToTrack = new int[n];
        Arrays.fill(detToTrack, -1);
        if (n == 0 || m == 0) {
            return detToTrack;
        }
        // Tiny slack so that a pair exactly at the gate is still made.
        double unmatched = (1.0 - minIou + 1e-9) / 2;
        int size = n + m;
        double[][] cost = new double[size][size];
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
                if (i < n && j < m) {
                    cost[i][j] = iou[i][j] >= minIou ? 1.0 - iou[i][j] : FORBIDDEN;
                } else if (i < n || j < m) {
                    cost[i][j] = unmatched;
                }
            }
        }
        int[] solved = Hungarian.solve(cost);
        for (int i = 0; i < n; i++) {
            int j = solved[i];
            if (j >= 0 && j < m && iou[i][j] >= minIou) {
                detToTrack[i] = j;
            }
        }
        return detToTrack;
    }
}
