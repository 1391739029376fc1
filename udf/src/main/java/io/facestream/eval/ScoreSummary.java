package io.facestream.eval;

import java.util.Arrays;

/**
 * A similarity distribution for the report: count, extremes, mean, standard deviation, the 1st,
 * 50th and 99th percentiles (nearest rank), and a histogram of {@value #BINS} bins of width {@value
 * #BIN_WIDTH} from &minus;1 to 1 ({@code histogram[i]} counts scores in [&minus;1 + i &times;
 * width, &minus;1 + (i+1) &times; width); 1 goes in the last bin). Empty input: count 0, NaN
 * statistics.
 */
public record ScoreSummary(
        int count,
        double min,
        double max,
        double mean,
        double sd,
        double p1,
        double p50,
        double p99,
        double binWidth,
        int[] histogram) {
    public static final int BINS = 40;
    public static final double BIN_WIDTH = 2.0 / BINS;

    public static ScoreSummary of(double[] scores) {
        double[] s = scores.clone();
        Arrays.sort(s);
        int[] bins = new int[BINS];
        double sum = 0;
        for (double v : s) {
            sum += v;
            int b = (int) Math.floor((v + 1) / BIN_WIDTH);
            bins[Math.max(0, Math.min(BINS - 1, b))]++;
        }
        int n = s.length;
        if (n == 0) {
            double nan = Double.NaN;
            return new ScoreSummary(0, nan, nan, nan, nan, nan, nan, nan, BIN_WIDTH, bins);
        }
        double mean = sum / n;
        double sq = 0;
        for (double v : s) {
            sq += (v - mean) * (v - mean);
        }
        return new ScoreSummary(
                n,
                s[0],
                s[n - 1],
                mean,
                Math.sqrt(sq / n),
                rank(s, 0.01),
                rank(s, 0.5),
                rank(s, 0.99),
                BIN_WIDTH,
                bins);
    }

    private static double rank(double[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
