package io.facestream.eval;

import java.util.List;
import java.util.Map;

/**
 * What {@code facestream eval} measured; serialised as the report's JSON, field names as here
 * (documented in {@code docs/accuracy.md}). Similarities are cosines in [&minus;1, 1]; rates are
 * fractions in [0, 1], NaN (JSON {@code "NaN"}) when nothing was counted. New fields may be added;
 * existing ones keep their name and meaning ({@link #FORMAT_VERSION} changes otherwise).
 *
 * @param formatVersion {@link #FORMAT_VERSION}
 * @param mode {@code split} (one labelled folder split into gallery and probes), {@code gallery}
 *     (an existing gallery and a probe folder) or {@code pairs} (a pairs file)
 * @param inputs the folders or files evaluated
 * @param detector detector model id
 * @param embedder embedder model id
 * @param settings the options that shaped the run
 * @param images images seen, usable and failed
 * @param failureCounts failed inputs per {@link EvalFailure.Reason}
 * @param failures every failed input with its reason
 * @param notes shortfalls that did not stop the run (a person with one photo, a missing pair)
 * @param split how the labelled set was divided; null for pairs
 * @param verification pair-level distributions, ROC, TAR@FAR and EER
 * @param openSet identification rates; null for pairs
 * @param recommendation the threshold for the target false-accept rate
 * @param worstFalseRejects enrolled probes not matched to themselves at the current threshold,
 *     lowest similarity first (up to 10)
 * @param closestFalseAccepts strangers and misidentified probes, most similar first (up to 10),
 *     with whether the current threshold accepts them
 * @param decisionRules the decision rules compared (per-identity scoring × margin rule, {@link
 *     DecisionRuleEval}); split mode only, null otherwise
 */
public record EvalReport(
        int formatVersion,
        String mode,
        List<String> inputs,
        String detector,
        String embedder,
        Settings settings,
        Images images,
        Map<EvalFailure.Reason, Integer> failureCounts,
        List<EvalFailure> failures,
        List<String> notes,
        Split split,
        Verification verification,
        OpenSet openSet,
        Recommendation recommendation,
        List<Example> worstFalseRejects,
        List<Example> closestFalseAccepts,
        List<DecisionRuleEval.RuleRates> decisionRules) {
    public static final int FORMAT_VERSION = 1;

    /**
     * @param enrolPerPerson photos enrolled per person (split mode)
     * @param seed seed of the random split
     * @param topK gallery entries considered per probe
     * @param currentThreshold the {@code minSimilarity} in force (the manifest's unless overridden)
     * @param targetFar the false-accept rate the recommendation aims at
     * @param minIdentityMargin the margin rule in force (best identity minus the runner-up; 0: off)
     * @param decision what probes were compared with ({@code template} or {@code top-k}, as {@code
     *     match.decision}); null for pairs, which are not decided
     */
    public record Settings(
            int enrolPerPerson,
            long seed,
            int topK,
            double currentThreshold,
            double targetFar,
            double minIdentityMargin,
            String decision) {}

    /** Input images: all seen, usable (one face embedded), failed. */
    public record Images(int total, int usable, int failed) {}

    /**
     * @param people people with at least one usable photo
     * @param enrolledPeople people in the gallery
     * @param strangers people held out (or, for a gallery, probe people not in it)
     * @param galleryEntries entries searched
     * @param enrolledProbes probes of enrolled people
     * @param strangerProbes probes of strangers
     */
    public record Split(
            int people,
            int enrolledPeople,
            List<String> strangers,
            int galleryEntries,
            int enrolledProbes,
            int strangerProbes) {}

    /**
     * Each probe against each gallery entry (split mode), or each listed pair.
     *
     * @param genuine same-person similarities
     * @param impostor different-person similarities
     * @param roc FAR and TAR at up to 200 thresholds
     * @param tarAtFar TAR at FAR 1 % and 0.1 %
     * @param eer equal error rate and where it is
     */
    public record Verification(
            ScoreSummary genuine,
            ScoreSummary impostor,
            List<Roc.Point> roc,
            List<TarAtFar> tarAtFar,
            Roc.Eer eer) {}

    /**
     * @param far the target false-accept rate
     * @param threshold the lowest threshold meeting it
     * @param tar TAR there
     * @param falseAccepts impostor pairs accepted there
     * @param farUpper95 95 % upper bound on the true FAR there, given the impostor count
     */
    public record TarAtFar(
            double far, double threshold, double tar, int falseAccepts, double farUpper95) {}

    /**
     * @param closedSetRank1 enrolled probes whose most similar identity is right, at any score
     * @param current rates at the current threshold
     * @param candidates rates at each candidate threshold, ascending
     */
    public record OpenSet(
            double closedSetRank1, OpenSetRates current, List<OpenSetRates> candidates) {}

    /**
     * @param targetFar the target given with {@code --target-far}
     * @param threshold the lowest threshold (rounded up to 0.001) whose measured pair FAR is at
     *     most the target
     * @param impostorPairs impostor pairs it was measured on
     * @param falseAccepts impostor pairs accepted at it
     * @param measuredFar {@code falseAccepts / impostorPairs}
     * @param farUpper95 exact 95 % upper bound on the true FAR at it
     * @param pairsNeeded impostor pairs needed for zero false accepts to prove the target
     * @param confident whether {@code farUpper95 <= targetFar}; false means: add strangers' photos
     * @param confidentThreshold the lowest threshold (rounded up to 0.001) at which the 95 % upper
     *     bound meets the target; NaN when there are too few impostor pairs for any
     * @param tar TAR at it
     * @param openSet identification rates at it; null for pairs
     */
    public record Recommendation(
            double targetFar,
            double threshold,
            int impostorPairs,
            int falseAccepts,
            double measuredFar,
            double farUpper95,
            long pairsNeeded,
            boolean confident,
            double confidentThreshold,
            double tar,
            OpenSetRates openSet) {}

    /**
     * A probe worth looking at.
     *
     * @param file the probe image
     * @param identity who it really is
     * @param enrolled whether that person is in the gallery
     * @param decided the identity the current threshold gives it; null for UNKNOWN
     * @param nearest the most similar gallery identity
     * @param similarity similarity to {@code nearest}
     * @param nearestSource the gallery entry's source (file) behind {@code similarity}
     * @param accepted whether the current threshold matches it to someone
     */
    public record Example(
            String file,
            String identity,
            boolean enrolled,
            String decided,
            String nearest,
            double similarity,
            String nearestSource,
            boolean accepted) {}
}
