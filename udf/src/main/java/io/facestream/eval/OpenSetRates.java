package io.facestream.eval;

import io.facestream.gallery.Decision;
import io.facestream.gallery.IdentityDecider;
import java.util.List;

/**
 * Open-set identification at one threshold, each probe decided by {@link IdentityDecider} exactly
 * as {@code identify} and the job decide a face.
 *
 * @param threshold the decider's {@code minSimilarity}
 * @param enrolledProbes probes of people in the gallery
 * @param correct of those, matched to the right identity
 * @param misidentified of those, matched to someone else
 * @param rejected of those, answered UNKNOWN
 * @param rank1 {@code correct / enrolledProbes} (open-set rank-1: right and above the threshold)
 * @param falseRejectRate {@code rejected / enrolledProbes}
 * @param misidentificationRate {@code misidentified / enrolledProbes}
 * @param strangerProbes probes of people not in the gallery
 * @param strangersAccepted of those, matched to anyone
 * @param strangerFalseAcceptRate {@code strangersAccepted / strangerProbes}
 */
public record OpenSetRates(
        double threshold,
        int enrolledProbes,
        int correct,
        int misidentified,
        int rejected,
        double rank1,
        double falseRejectRate,
        double misidentificationRate,
        int strangerProbes,
        int strangersAccepted,
        double strangerFalseAcceptRate) {

    public static OpenSetRates at(List<Probe> probes, float threshold) {
        return at(probes, threshold, 0f);
    }

    /** As {@link #at(List, float)}, with the margin rule's {@code minIdentityMargin}. */
    public static OpenSetRates at(List<Probe> probes, float threshold, float minIdentityMargin) {
        IdentityDecider decider =
                new IdentityDecider(threshold, Float.POSITIVE_INFINITY, minIdentityMargin);
        int enrolled = 0;
        int correct = 0;
        int wrong = 0;
        int rejected = 0;
        int strangers = 0;
        int accepted = 0;
        for (Probe p : probes) {
            Decision d = decider.decideFace(p.topK());
            if (p.enrolled()) {
                enrolled++;
                if (!d.matched()) {
                    rejected++;
                } else if (d.identity().equals(p.identity())) {
                    correct++;
                } else {
                    wrong++;
                }
            } else {
                strangers++;
                if (d.matched()) {
                    accepted++;
                }
            }
        }
        return new OpenSetRates(
                // the float the decider compared with, shown as typed (0.4, not 0.4000000059604645)
                Double.parseDouble(Float.toString(threshold)),
                enrolled,
                correct,
                wrong,
                rejected,
                rate(correct, enrolled),
                rate(rejected, enrolled),
                rate(wrong, enrolled),
                strangers,
                accepted,
                rate(accepted, strangers));
    }

    /** Closed-set rank-1: enrolled probes whose best identity is right, whatever its score. */
    public static double closedSetRank1(List<Probe> probes) {
        return at(probes, -1f).rank1();
    }

    private static double rate(int count, int total) {
        return total == 0 ? Double.NaN : count / (double) total;
    }
}
