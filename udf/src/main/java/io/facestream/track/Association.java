package io.facestream.track;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
        // The problem splits exactly into the connected groups of allowed pairs (leaving a side
        // unmatched costs the same wherever it is): faces far apart are matched without a global
        // (n + m)³ solve, which keeps a crowded frame cheap.
        int[] parent = new int[n + m];
        for (int k = 0; k < parent.length; k++) {
            parent[k] = k;
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                if (iou[i][j] >= minIou) {
                    parent[find(parent, i)] = find(parent, n + j);
                }
            }
        }
        List<List<Integer>> dets = new ArrayList<>();
        List<List<Integer>> tracks = new ArrayList<>();
        int[] group = new int[n + m];
        Arrays.fill(group, -1);
        for (int k = 0; k < n + m; k++) {
            int root = find(parent, k);
            if (group[root] < 0) {
                group[root] = dets.size();
                dets.add(new ArrayList<>());
                tracks.add(new ArrayList<>());
            }
            (k < n ? dets : tracks).get(group[root]).add(k < n ? k : k - n);
        }
        for (int g = 0; g < dets.size(); g++) {
            matchGroup(iou, minIou, dets.get(g), tracks.get(g), detToTrack);
        }
        return detToTrack;
    }

    private static void matchGroup(
            double[][] iou, double minIou, List<Integer> dets, List<Integer> tracks, int[] out) {
        int n = dets.size();
        int m = tracks.size();
        if (n == 0 || m == 0) {
            return;
        }
        if (n == 1 && m == 1) {
            // Connected, so the one pair is allowed.
            out[dets.get(0)] = tracks.get(0);
            return;
        }
        // Tiny slack so that a pair exactly at the gate is still made.
        double unmatched = (1.0 - minIou + 1e-9) / 2;
        int size = n + m;
        double[][] cost = new double[size][size];
        for (int a = 0; a < size; a++) {
            for (int b = 0; b < size; b++) {
                if (a < n && b < m) {
                    double v = iou[dets.get(a)][tracks.get(b)];
                    cost[a][b] = v >= minIou ? 1.0 - v : FORBIDDEN;
                } else if (a < n || b < m) {
                    cost[a][b] = unmatched;
                }
            }
        }
        int[] solved = Hungarian.solve(cost);
        for (int a = 0; a < n; a++) {
            int b = solved[a];
            if (b >= 0 && b < m && iou[dets.get(a)][tracks.get(b)] >= minIou) {
                out[dets.get(a)] = tracks.get(b);
            }
        }
    }

    private static int find(int[] parent, int k) {
        while (parent[k] != k) {
            parent[k] = parent[parent[k]];
            k = parent[k];
        }
        return k;
    }
}
