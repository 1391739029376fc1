package io.facestream.eval;

import io.facestream.gallery.Decision;
import io.facestream.gallery.IdentityDecider;
import io.facestream.gallery.Match;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * Turns scored pairs and searched probes into the report's accuracy sections. Pure: every figure
 * comes from the scores given, and every identification decision from {@link IdentityDecider}.
 */
public final class EvalMetrics {
    /** FARs at which TAR is reported. */
    public static final double[] REPORTED_FARS = {0.01, 0.001};

    /** Thresholds the open-set table always shows, besides the current and recommended ones. */
    public static final double[] CANDIDATES = {
        0.20, 0.25, 0.30, 0.35, 0.40, 0.45, 0.50, 0.55, 0.60, 0.65, 0.70
    };

    private static final int EXAMPLES = 10;

    private EvalMetrics() {}

    public static EvalReport.Verification verification(Roc roc) {
        List<EvalReport.TarAtFar> tars = new ArrayList<>();
        for (double far : REPORTED_FARS) {
            double t = roc.thresholdForFar(far);
            int accepts = roc.falseAccepts(t);
            tars.add(
                    new EvalReport.TarAtFar(
                            far,
                            t,
                            roc.tar(t),
                            accepts,
                            FarBound.upper(accepts, roc.impostorCount())));
        }
        return new EvalReport.Verification(
                ScoreSummary.of(roc.genuineScores()),
                ScoreSummary.of(roc.impostorScores()),
                roc.points(200),
                tars,
                roc.eer());
    }

    /** The threshold for {@code targetFar}, rounded up to 0.001 so it can be typed as given. */
    public static EvalReport.Recommendation recommend(
            Roc roc, double targetFar, List<Probe> probes, float minIdentityMargin) {
        double exact = roc.thresholdForFar(targetFar);
        double t = roundUp(exact);
        int accepts = roc.falseAccepts(t);
        int n = roc.impostorCount();
        double upper = FarBound.upper(accepts, n);
        return new EvalReport.Recommendation(
                targetFar,
                t,
                n,
                accepts,
                n == 0 ? Double.NaN : accepts / (double) n,
                upper,
                FarBound.pairsNeeded(targetFar),
                upper <= targetFar,
                roundUp(roc.confidentThresholdForFar(targetFar)),
                roc.tar(t),
                probes.isEmpty() ? null : OpenSetRates.at(probes, (float) t, minIdentityMargin));
    }

    /** Why a recommendation is not confident, and what would make it so. */
    public static String confidenceNote(EvalReport.Recommendation r) {
        return String.format(
                java.util.Locale.ROOT,
                "threshold %.3f accepts %d of %d impostor pairs, so the true false-accept rate may"
                        + " be up to %.4f (95 %% bound), above the target %s; %s",
                r.threshold(),
                r.falseAccepts(),
                r.impostorPairs(),
                r.farUpper95(),
                r.targetFar(),
                Double.isNaN(r.confidentThreshold())
                        ? "at least "
                                + r.pairsNeeded()
                                + " impostor pairs are needed to show it"
                                + " (add photos of people not enrolled)"
                        : String.format(
                                java.util.Locale.ROOT,
                                "%.3f meets it at 95 %% confidence",
                                r.confidentThreshold()));
    }

    private static double roundUp(double threshold) {
        return Math.min(1, Math.ceil(threshold * 1000 - 1e-9) / 1000);
    }

    public static EvalReport.OpenSet openSet(
            List<Probe> probes, double current, double recommended, float minIdentityMargin) {
        TreeSet<Float> ts = new TreeSet<>();
        for (double c : CANDIDATES) {
            ts.add((float) c);
        }
        ts.add((float) current);
        if (!Double.isNaN(recommended)) {
            ts.add((float) recommended);
        }
        List<OpenSetRates> rates = new ArrayList<>();
        for (float t : ts) {
            rates.add(OpenSetRates.at(probes, t, minIdentityMargin));
        }
        return new EvalReport.OpenSet(
                OpenSetRates.closedSetRank1(probes),
                OpenSetRates.at(probes, (float) current, minIdentityMargin),
                rates);
    }

    /** Enrolled probes the current threshold fails, lowest similarity first. */
    public static List<EvalReport.Example> worstFalseRejects(
            List<Probe> probes, double current, float minIdentityMargin) {
        IdentityDecider decider = decider(current, minIdentityMargin);
        return probes.stream()
                .filter(Probe::enrolled)
                .map(p -> example(p, decider.decideFace(p.topK())))
                .filter(e -> !e.identity().equals(e.decided()))
                .sorted(Comparator.comparingDouble(EvalReport.Example::similarity))
                .limit(EXAMPLES)
                .toList();
    }

    /** Strangers and misidentified probes, most similar first. */
    public static List<EvalReport.Example> closestFalseAccepts(
            List<Probe> probes, double current, float minIdentityMargin) {
        IdentityDecider decider = decider(current, minIdentityMargin);
        return probes.stream()
                .map(p -> example(p, decider.decideFace(p.topK())))
                .filter(e -> e.nearest() != null && !e.nearest().equals(e.identity()))
                .sorted(Comparator.comparingDouble(EvalReport.Example::similarity).reversed())
                .limit(EXAMPLES)
                .toList();
    }

    private static IdentityDecider decider(double current, float minIdentityMargin) {
        return new IdentityDecider((float) current, Float.POSITIVE_INFINITY, minIdentityMargin);
    }

    private static EvalReport.Example example(Probe p, Decision d) {
        Match best = p.topK().isEmpty() ? null : p.topK().get(0);
        String nearest =
                d.topCandidates().isEmpty() ? null : d.topCandidates().get(0).getIdentity();
        String source =
                p.topK().stream()
                        .filter(m -> m.identity().equals(nearest))
                        .map(Match::source)
                        .findFirst()
                        .orElse(best == null ? null : best.source());
        return new EvalReport.Example(
                p.file(),
                p.identity(),
                p.enrolled(),
                d.identity(),
                nearest,
                Double.isNaN(d.similarity()) ? -1 : d.similarity(),
                source,
                d.matched());
    }
}
