package io.facestream.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.facestream.gallery.Match;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Open-set rates decided through IdentityDecider, and the reproducible split. */
class OpenSetRatesTest {
    static Match m(String id, float s) {
        return new Match(id + "-1", id, s, id + ".jpg");
    }

    static final List<Probe> PROBES =
            List.of(
                    new Probe("a.jpg", "a", true, List.of(m("a", 0.6f), m("b", 0.5f))),
                    new Probe("b.jpg", "b", true, List.of(m("a", 0.45f), m("b", 0.3f))),
                    new Probe("s.jpg", "s", false, List.of(m("a", 0.42f))));

    @Test
    void ratesAtALowThresholdCountAMisidentificationAndAStrangerAccepted() {
        OpenSetRates r = OpenSetRates.at(PROBES, 0.4f);
        assertThat(r.enrolledProbes()).isEqualTo(2);
        assertThat(r.correct()).isEqualTo(1);
        assertThat(r.misidentified()).isEqualTo(1);
        assertThat(r.rejected()).isZero();
        assertThat(r.rank1()).isEqualTo(0.5);
        assertThat(r.strangerFalseAcceptRate()).isEqualTo(1.0);
    }

    @Test
    void ratesAtAHighThresholdRejectInstead() {
        OpenSetRates r = OpenSetRates.at(PROBES, 0.5f);
        assertThat(r.correct()).isEqualTo(1);
        assertThat(r.rejected()).isEqualTo(1);
        assertThat(r.falseRejectRate()).isEqualTo(0.5);
        assertThat(r.strangersAccepted()).isZero();
        assertThat(OpenSetRates.closedSetRank1(PROBES)).isEqualTo(0.5);
    }

    @Test
    void examplesListTheRejectedAndTheClosestStrangers() {
        var rejects = EvalMetrics.worstFalseRejects(PROBES, 0.5, 0f);
        assertThat(rejects).extracting(EvalReport.Example::file).containsExactly("b.jpg");
        var accepts = EvalMetrics.closestFalseAccepts(PROBES, 0.4, 0f);
        assertThat(accepts).extracting(EvalReport.Example::file).containsExactly("b.jpg", "s.jpg");
        assertThat(accepts).allMatch(EvalReport.Example::accepted);
    }

    @Test
    void splitsReproduciblyAndHoldsStrangersOut() {
        SortedMap<String, List<Integer>> people = new TreeMap<>();
        people.put("ann", List.of(1, 2, 3, 4));
        people.put("bob", List.of(5, 6, 7));
        people.put("cy", List.of(8));
        people.put("dee", List.of(9, 10));
        EvalSplit<Integer> s = EvalSplit.of(people, 2, List.of("bob"), 0, 7);
        assertThat(s.strangers()).containsExactly("bob");
        assertThat(s.strangerProbes()).hasSize(3);
        assertThat(s.gallery().get("ann")).hasSize(2);
        assertThat(s.gallery().get("cy")).containsExactly(8);
        assertThat(s.gallery().get("dee")).hasSize(1);
        assertThat(s.probes()).hasSize(2 + 1);
        assertThat(s.notes()).hasSize(2).anyMatch(n -> n.startsWith("cy: only 1"));
        EvalSplit<Integer> again = EvalSplit.of(people, 2, List.of(), 1, 7);
        assertThat(EvalSplit.of(people, 2, List.of(), 1, 7).gallery()).isEqualTo(again.gallery());
        assertThat(again.strangers()).hasSize(1);
    }
}
