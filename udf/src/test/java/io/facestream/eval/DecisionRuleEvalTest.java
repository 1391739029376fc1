package io.facestream.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.facestream.eval.DecisionRuleEval.RuleRates;
import io.facestream.eval.DecisionRuleEval.Scoring;
import io.facestream.gallery.Match;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Decision rules on unit vectors in two dimensions, small enough to work out by hand. Gallery: a1 =
 * (1, 0), a2 = (0.6, 0.8), b1 = (0, 1); a's template is (1.6, 0.8) normalised = (0.8944, 0.4472).
 * Probe p of a = (0.8, 0.6): a1 0.8, a2 0.96, b1 0.6, template a 0.9839. Stranger s = (0.28, 0.96):
 * a1 0.28, a2 0.936, b1 0.96, template a 0.6798.
 */
class DecisionRuleEvalTest {
    static final Map<String, List<EvalSample>> GALLERY =
            Map.of(
                    "a", List.of(sample("a", 1, 0), sample("a", 0.6f, 0.8f)),
                    "b", List.of(sample("b", 0, 1)));
    static final float[] P = {0.8f, 0.6f};
    static final float[] S = {0.28f, 0.96f};
    static final List<Probe> PROBES =
            List.of(
                    new Probe("p", "a", true, List.of(m("a", 0.96f), m("a", 0.8f), m("b", 0.6f))),
                    new Probe(
                            "s",
                            "c",
                            false,
                            List.of(m("b", 0.96f), m("a", 0.936f), m("a", 0.28f))));
    final List<RuleRates> rates = DecisionRuleEval.compare(GALLERY, PROBES, List.of(P, S), 0.4);

    static EvalSample sample(String id, float x, float y) {
        return new EvalSample(Path.of(id + x + ".jpg"), id, id + x, new float[] {x, y}, null, 0);
    }

    static Match m(String id, float similarity) {
        return new Match(id + similarity, id, similarity, id + ".jpg");
    }

    RuleRates rule(Scoring scoring, double margin) {
        return rates.stream()
                .filter(r -> r.scoring() == scoring && r.minIdentityMargin() == margin)
                .findFirst()
                .orElseThrow();
    }

    @Test
    void theBestEntryCannotSeparateTheStrangerFromTheEnrolledProbe() {
        RuleRates best = rule(Scoring.BEST_ENTRY, 0);
        assertThat(best.genuineMin()).isCloseTo(0.96, within(1e-6));
        assertThat(best.impostorMax()).isCloseTo(0.96, within(1e-6));
        // the stranger is taken for b at 0.96: only a threshold above it stops that, and then p
        // (0.96) is rejected too
        assertThat(best.zeroFalseAcceptThreshold()).isCloseTo(0.96, within(1e-6));
        assertThat(best.rank1AtZeroFalseAccept()).isZero();
        assertThat(best.atCurrent().rank1()).isEqualTo(1.0);
        assertThat(best.atCurrent().strangersAccepted()).isEqualTo(1);
        // p with a removed is matched to b at 0.6
        assertThat(best.simulatedStrangers()).isEqualTo(1);
        assertThat(best.simulatedStrangersAccepted()).isEqualTo(1);
    }

    @Test
    void theTemplateLiftsTheEnrolledProbeAboveTheStranger() {
        RuleRates template = rule(Scoring.TEMPLATE, 0);
        assertThat(template.genuineMin()).isCloseTo(0.9839, within(1e-4));
        assertThat(template.genuineMean()).isCloseTo(0.9839, within(1e-4));
        // impostors: p-b 0.6, s-b 0.96, s-a 0.6798
        assertThat(template.impostorMax()).isCloseTo(0.96, within(1e-6));
        assertThat(template.zeroFalseAcceptThreshold()).isCloseTo(0.96, within(1e-6));
        assertThat(template.rank1AtZeroFalseAccept()).isEqualTo(1.0);
        assertThat(template.eer()).isZero();
    }

    @Test
    void theTopKMeanAveragesTheIdentitysEntriesAmongTheTopK() {
        RuleRates mean = rule(Scoring.TOPK_MEAN, 0);
        assertThat(mean.genuineMin()).isCloseTo((0.96 + 0.8) / 2, within(1e-6));
        assertThat(mean.impostorMax()).isCloseTo(0.96, within(1e-6));
    }

    @Test
    void theMarginRuleRejectsTheStrangerCloseToTwoPeople() {
        // s: b 0.96 vs a 0.936, 0.024 apart, under 0.05; p without a has only b: no runner-up,
        // accepted at 0.6, so 0.6 is now the threshold with no false accept
        RuleRates margin = rule(Scoring.BEST_ENTRY, 0.05);
        assertThat(margin.atCurrent().strangersAccepted()).isZero();
        assertThat(margin.zeroFalseAcceptThreshold()).isCloseTo(0.6, within(1e-6));
        assertThat(margin.rank1AtZeroFalseAccept()).isEqualTo(1.0);
        assertThat(rates).hasSize(Scoring.values().length * DecisionRuleEval.MARGINS.length);
    }
}
