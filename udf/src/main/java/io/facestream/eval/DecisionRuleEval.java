package io.facestream.eval;

import io.facestream.embed.Vectors;
import io.facestream.gallery.Decision;
import io.facestream.gallery.IdentityDecider;
import io.facestream.gallery.Match;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares ways of turning a probe's gallery matches into a decision, on a split where every
 * embedding is known (issue 17 item 2). Each way scores every gallery identity for a probe; the
 * decision itself is always {@link IdentityDecider}'s, so a rule measured here is the rule {@code
 * identify} and the job would apply.
 *
 * <ul>
 *   <li>{@link Scoring#BEST_ENTRY}: the identity's best entry among the top-k (what ships);
 *   <li>{@link Scoring#TOPK_MEAN}: the mean of the identity's entries among the top-k (computable
 *       at lookup time from the similarities alone);
 *   <li>{@link Scoring#TEMPLATE}: cosine with the identity's template, the normalised mean of all
 *       its gallery embeddings (what a template stored at enrolment would give);
 * </ul>
 *
 * each with the margin rule (best identity minus runner-up at least m) for every m in {@link
 * #MARGINS}. Besides the real strangers, every enrolled probe is also tried as a <em>simulated
 * stranger</em>: decided with its own identity removed from the gallery, so a rule's false accepts
 * are counted over many more probes than a small set holds strangers.
 */
public final class DecisionRuleEval {
    public enum Scoring {
        BEST_ENTRY,
        TOPK_MEAN,
        TEMPLATE
    }

    public static final double[] MARGINS = {0, 0.03, 0.05, 0.10};

    /**
     * One scoring with one margin.
     *
     * @param scoring how an identity is scored
     * @param minIdentityMargin the margin rule's m (0: off)
     * @param genuineMin lowest score of an enrolled probe's own identity
     * @param genuineMean mean score of an enrolled probe's own identity
     * @param impostorMax highest score of any other identity for any probe
     * @param eer equal error rate of own-identity scores against other-identity scores
     * @param atCurrent open-set rates at the current threshold (real strangers only)
     * @param simulatedStrangers enrolled probes decided with their own identity removed
     * @param simulatedStrangersAccepted of those, matched to someone at the current threshold
     * @param zeroFalseAcceptThreshold the lowest threshold at which no real or simulated stranger
     *     is accepted and no enrolled probe is misidentified
     * @param rank1AtZeroFalseAccept open-set rank-1 of enrolled probes at that threshold
     */
    public record RuleRates(
            Scoring scoring,
            double minIdentityMargin,
            double genuineMin,
            double genuineMean,
            double impostorMax,
            double eer,
            OpenSetRates atCurrent,
            int simulatedStrangers,
            int simulatedStrangersAccepted,
            double zeroFalseAcceptThreshold,
            double rank1AtZeroFalseAccept) {}

    private DecisionRuleEval() {}

    /**
     * @param gallery the enrolled samples per identity
     * @param probes every probe, with its real top-k matches and whether its person is enrolled
     * @param embeddings each probe's embedding, in the order of {@code probes}
     * @param threshold the current {@code minSimilarity}
     */
    public static List<RuleRates> compare(
            Map<String, List<EvalSample>> gallery,
            List<Probe> probes,
            List<float[]> embeddings,
            double threshold) {
        Map<String, float[]> templates = templates(gallery);
        List<RuleRates> out = new ArrayList<>();
        for (Scoring scoring : Scoring.values()) {
            List<Probe> scored = new ArrayList<>();
            for (int i = 0; i < probes.size(); i++) {
                Probe p = probes.get(i);
                scored.add(
                        new Probe(
                                p.file(),
                                p.identity(),
                                p.enrolled(),
                                identityScores(scoring, p.topK(), embeddings.get(i), templates)));
            }
            for (double margin : MARGINS) {
                out.add(rates(scoring, margin, scored, threshold));
            }
        }
        return out;
    }

    static Map<String, float[]> templates(Map<String, List<EvalSample>> gallery) {
        Map<String, float[]> t = new LinkedHashMap<>();
        gallery.forEach(
                (id, samples) -> {
                    float[] sum = new float[samples.get(0).embedding().length];
                    for (EvalSample s : samples) {
                        for (int d = 0; d < sum.length; d++) {
                            sum[d] += s.embedding()[d];
                        }
                    }
                    t.put(id, Vectors.normalize(sum));
                });
        return t;
    }

    /**
     * The matches the decider sees under a scoring: entries for BEST_ENTRY, else one per identity.
     */
    static List<Match> identityScores(
            Scoring scoring, List<Match> topK, float[] embedding, Map<String, float[]> templates) {
        List<Match> out = new ArrayList<>();
        switch (scoring) {
            case BEST_ENTRY -> out.addAll(topK);
            case TOPK_MEAN -> {
                Map<String, double[]> sums = new LinkedHashMap<>();
                for (Match m : topK) {
                    double[] s = sums.computeIfAbsent(m.identity(), k -> new double[2]);
                    s[0] += m.similarity();
                    s[1]++;
                }
                sums.forEach((id, s) -> out.add(new Match(id, id, (float) (s[0] / s[1]), id)));
            }
            case TEMPLATE ->
                    templates.forEach(
                            (id, t) ->
                                    out.add(
                                            new Match(
                                                    id,
                                                    id,
                                                    (float) Vectors.dot(embedding, t),
                                                    id)));
        }
        out.sort(Comparator.comparingDouble(Match::similarity).reversed());
        return out;
    }

    private static RuleRates rates(
            Scoring scoring, double margin, List<Probe> scored, double threshold) {
        List<Double> genuine = new ArrayList<>();
        List<Double> impostor = new ArrayList<>();
        List<Probe> simulated = new ArrayList<>();
        for (Probe p : scored) {
            Map<String, Float> best = new LinkedHashMap<>();
            p.topK().forEach(m -> best.merge(m.identity(), m.similarity(), Math::max));
            best.forEach((id, s) -> (id.equals(p.identity()) ? genuine : impostor).add((double) s));
            if (p.enrolled()) {
                List<Match> others =
                        p.topK().stream().filter(m -> !m.identity().equals(p.identity())).toList();
                simulated.add(new Probe(p.file(), p.identity(), false, others));
            }
        }
        IdentityDecider open = new IdentityDecider(-1f, Float.POSITIVE_INFINITY, (float) margin);
        // Whatever the threshold, these are accepted wrongly unless it is above their score.
        double worst = -1;
        List<Probe> all = new ArrayList<>(scored);
        all.addAll(simulated);
        for (Probe p : all) {
            Decision d = open.decideFace(p.topK());
            if (d.matched() && (!p.enrolled() || !d.identity().equals(p.identity()))) {
                worst = Math.max(worst, d.similarity());
            }
        }
        double zeroFa = worst < 0 ? -1 : Math.nextUp((float) worst);
        Roc roc = Roc.of(genuine, impostor);
        return new RuleRates(
                scoring,
                margin,
                genuine.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
                genuine.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN),
                impostor.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN),
                roc.eer().value(),
                OpenSetRates.at(scored, (float) threshold, (float) margin),
                simulated.size(),
                OpenSetRates.at(simulated, (float) threshold, (float) margin).strangersAccepted(),
                zeroFa,
                OpenSetRates.at(scored, (float) zeroFa, (float) margin).rank1());
    }
}
