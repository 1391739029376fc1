package io.facestream.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Verification ROC over genuine (same person) and impostor (different people) similarity scores. A
 * pair is accepted when its cosine similarity is at least the threshold (higher = stricter), as
 * {@code IdentityDecider} accepts a match. FAR(t) = impostors &ge; t / impostors, TAR(t) = genuine
 * &ge; t / genuine, FRR(t) = 1 &minus; TAR(t). Pure; rates are NaN when their side is empty.
 */
public final class Roc {
    /** One point of the curve. */
    public record Point(double threshold, double far, double tar) {}

    /** The equal error rate and the threshold where FAR and FRR are closest. */
    public record Eer(double value, double threshold) {}

    private final double[] genuine;
    private final double[] impostor;

    public Roc(double[] genuine, double[] impostor) {
        this.genuine = genuine.clone();
        this.impostor = impostor.clone();
        Arrays.sort(this.genuine);
        Arrays.sort(this.impostor);
    }

    /** The ROC of scores collected one pair at a time. */
    public static Roc of(List<Double> genuine, List<Double> impostor) {
        return new Roc(
                genuine.stream().mapToDouble(Double::doubleValue).toArray(),
                impostor.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Genuine scores, ascending. */
    public double[] genuineScores() {
        return genuine.clone();
    }

    /** Impostor scores, ascending. */
    public double[] impostorScores() {
        return impostor.clone();
    }

    public int genuineCount() {
        return genuine.length;
    }

    public int impostorCount() {
        return impostor.length;
    }

    /** Impostor pairs accepted at {@code threshold}. */
    public int falseAccepts(double threshold) {
        return atLeast(impostor, threshold);
    }

    public double far(double threshold) {
        return rate(falseAccepts(threshold), impostor.length);
    }

    public double tar(double threshold) {
        return rate(atLeast(genuine, threshold), genuine.length);
    }

    public double frr(double threshold) {
        return 1 - tar(threshold);
    }

    /**
     * The lowest threshold whose FAR does not exceed {@code targetFar}: just above the (m+1)-th
     * highest impostor score, m = floor(target &times; impostors). With no impostors, or a target
     * of 1, every pair may be accepted: &minus;1.
     */
    public double thresholdForFar(double targetFar) {
        int n = impostor.length;
        int allowed = (int) Math.floor(targetFar * n + 1e-9);
        if (allowed >= n) {
            return -1;
        }
        return Math.nextUp(impostor[n - 1 - allowed]);
    }

    /**
     * The lowest threshold at which the 95 % upper bound on the true FAR ({@link FarBound}) does
     * not exceed {@code targetFar}; NaN when even zero false accepts would not show it (too few
     * impostors).
     */
    public double confidentThresholdForFar(double targetFar) {
        int n = impostor.length;
        for (int allowed = (int) Math.floor(targetFar * n + 1e-9); allowed >= 0; allowed--) {
            if (allowed < n && FarBound.upper(allowed, n) <= targetFar) {
                return Math.nextUp(impostor[n - 1 - allowed]);
            }
        }
        return Double.NaN;
    }

    /** TAR at {@link #thresholdForFar}. */
    public double tarAtFar(double targetFar) {
        return tar(thresholdForFar(targetFar));
    }

    /**
     * The EER over every threshold that changes a decision (each score, and just above the
     * highest): where |FAR &minus; FRR| is smallest, the mean of the two; ties go to the lower
     * threshold.
     */
    public Eer eer() {
        double bestGap = Double.POSITIVE_INFINITY;
        Eer best = new Eer(Double.NaN, Double.NaN);
        for (double t : thresholds()) {
            double far = far(t);
            double frr = frr(t);
            double gap = Math.abs(far - frr);
            if (gap < bestGap) {
                bestGap = gap;
                best = new Eer((far + frr) / 2, t);
            }
        }
        return best;
    }

    /** The curve at up to {@code maxPoints} thresholds taken evenly from {@link #thresholds()}. */
    public List<Point> points(int maxPoints) {
        double[] ts = thresholds();
        List<Point> out = new ArrayList<>();
        int step = Math.max(1, (int) Math.ceil(ts.length / (double) maxPoints));
        for (int i = 0; i < ts.length; i += step) {
            out.add(new Point(ts[i], far(ts[i]), tar(ts[i])));
        }
        double last = ts[ts.length - 1];
        if (out.get(out.size() - 1).threshold() != last) {
            out.add(new Point(last, far(last), tar(last)));
        }
        return out;
    }

    /** Every distinct score, ascending, then one just above the highest (nothing accepted). */
    double[] thresholds() {
        double[] all = new double[genuine.length + impostor.length + 1];
        System.arraycopy(genuine, 0, all, 0, genuine.length);
        System.arraycopy(impostor, 0, all, genuine.length, impostor.length);
        double max = -1;
        for (int i = 0; i < all.length - 1; i++) {
            max = Math.max(max, all[i]);
        }
        all[all.length - 1] = Math.nextUp(max);
        return Arrays.stream(all).sorted().distinct().toArray();
    }

    private static int atLeast(double[] ascending, double threshold) {
        int lo = 0;
        int hi = ascending.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ascending[mid] < threshold) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return ascending.length - lo;
    }

    private static double rate(int count, int total) {
        return total == 0 ? Double.NaN : count / (double) total;
    }
}
