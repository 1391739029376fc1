package io.facestream.eval;

import org.apache.commons.math3.distribution.BetaDistribution;

/**
 * How far a false-accept rate measured on a finite number of impostor pairs can be trusted: the
 * exact (Clopper-Pearson) one-sided 95 % upper bound, and the number of pairs needed before zero
 * false accepts proves a target rate.
 */
public final class FarBound {
    public static final double CONFIDENCE = 0.95;

    private FarBound() {}

    /** Upper 95 % bound on the true rate after {@code accepts} of {@code pairs} were accepted. */
    public static double upper(int accepts, int pairs) {
        if (pairs == 0 || accepts >= pairs) {
            return 1;
        }
        return new BetaDistribution(accepts + 1, pairs - accepts)
                .inverseCumulativeProbability(CONFIDENCE);
    }

    /** Impostor pairs needed so that zero false accepts bounds the rate by {@code targetFar}. */
    public static long pairsNeeded(double targetFar) {
        if (!(targetFar > 0 && targetFar < 1)) {
            throw new IllegalArgumentException("target FAR must be in (0, 1), was " + targetFar);
        }
        return (long) Math.ceil(Math.log(1 - CONFIDENCE) / Math.log(1 - targetFar));
    }
}
