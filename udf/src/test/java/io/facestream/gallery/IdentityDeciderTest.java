package io.facestream.gallery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facestream.schema.Candidate;
import io.facestream.schema.MatchStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdentityDeciderTest {
    private final IdentityDecider decider = new IdentityDecider(0.5f);

    private static Match m(String identity, float similarity) {
        return new Match(identity + similarity, identity, similarity, identity + ".jpg");
    }

    @Test
    void theBestEntryAboveTheThresholdDecidesAndCandidatesArePerIdentity() {
        Decision d =
                decider.decideFace(List.of(m("ross", 0.62f), m("ross", 0.55f), m("monica", 0.41f)));

        assertThat(d.status()).isEqualTo(MatchStatus.MATCHED);
        assertThat(d.identity()).isEqualTo("ross");
        assertThat(d.similarity()).isEqualTo(0.62f);
        assertThat(d.topCandidates())
                .containsExactly(new Candidate("ross", 0.62f), new Candidate("monica", 0.41f));
    }

    @Test
    void belowTheThresholdIsUnknownButKeepsTheBestSimilarity() {
        Decision d = decider.decideFace(List.of(m("monica", 0.40f), m("ross", 0.45f)));

        assertThat(d.status()).isEqualTo(MatchStatus.UNKNOWN);
        assertThat(d.identity()).isNull();
        assertThat(d.similarity()).isEqualTo(0.45f);
        assertThat(d.topCandidates())
                .extracting(Candidate::getIdentity)
                .containsExactly("ross", "monica");
    }

    @Test
    void theThresholdItselfMatches() {
        assertThat(decider.decideFace(List.of(m("ross", 0.5f))).matched()).isTrue();
        assertThat(decider.decideFace(List.of(m("ross", 0.4999f))).matched()).isFalse();
    }

    @Test
    void aTieIsBrokenByTheNumberOfEntriesAmongTheTopK() {
        // monica's best is 5e-7 above ross's: a tie. Ross has two entries in the top-k, monica one.
        Decision d =
                decider.decideFace(
                        List.of(m("monica", 0.7000005f), m("ross", 0.70f), m("ross", 0.65f)));

        assertThat(d.identity()).isEqualTo("ross");
        assertThat(d.similarity()).isEqualTo(0.70f);
    }

    @Test
    void aTieWithEqualVotesGoesToTheHigherMeanSimilarity() {
        // Means: monica (0.7 + 0.6) / 2 = 0.65, ross (0.7 + 0.5) / 2 = 0.60.
        Decision d =
                decider.decideFace(
                        List.of(
                                m("ross", 0.7f),
                                m("monica", 0.7f),
                                m("monica", 0.6f),
                                m("ross", 0.5f)));

        assertThat(d.identity()).isEqualTo("monica");
    }

    @Test
    void noMatchesIsUnknownWithoutASimilarity() {
        Decision d = decider.decideFace(List.of());

        assertThat(d.status()).isEqualTo(MatchStatus.UNKNOWN);
        assertThat(d.similarity()).isNaN();
        assertThat(d.topCandidates()).isEmpty();
    }

    @Test
    void twoFacesOfOneImageNeverShareAnIdentityByDefault() {
        List<Decision> d =
                decider.decide(
                        List.of(
                                List.of(m("ross", 0.55f)),
                                List.of(m("ross", 0.80f), m("monica", 0.52f)),
                                List.of(m("monica", 0.90f))));

        assertThat(d).extracting(Decision::identity).containsExactly(null, "ross", "monica");
        // The loser stays explainable: its score and candidates are kept.
        assertThat(d.get(0).similarity()).isEqualTo(0.55f);
        assertThat(d.get(0).topCandidates()).containsExactly(new Candidate("ross", 0.55f));
    }

    @Test
    void aSecondFaceKeepsTheIdentityOnlyWhenItClearsTheThresholdByTheMargin() {
        IdentityDecider lenient = new IdentityDecider(0.4f, 0.1f);

        List<Decision> both =
                lenient.decide(List.of(List.of(m("ross", 0.55f)), List.of(m("ross", 0.80f))));
        List<Decision> one =
                lenient.decide(List.of(List.of(m("ross", 0.80f)), List.of(m("ross", 0.45f))));

        assertThat(both).extracting(Decision::identity).containsExactly("ross", "ross");
        assertThat(one).extracting(Decision::identity).containsExactly("ross", null);
    }

    @Test
    void equallySimilarFacesLeaveTheIdentityToTheFirst() {
        List<Decision> d =
                decider.decide(List.of(List.of(m("ross", 0.7f)), List.of(m("ross", 0.7f))));

        assertThat(d)
                .extracting(Decision::status)
                .containsExactly(MatchStatus.MATCHED, MatchStatus.UNKNOWN);
    }

    @Test
    void theMarginRuleRejectsAFaceAboutAsCloseToTwoPeople() {
        IdentityDecider marginal = new IdentityDecider(0.4f, Float.POSITIVE_INFINITY, 0.05f);
        // ross 0.62 vs monica 0.58: 0.04 apart, under the 0.05 margin
        Decision close =
                marginal.decideFace(
                        List.of(m("ross", 0.62f), m("ross", 0.61f), m("monica", 0.58f)));
        // ross 0.62 vs monica 0.55: 0.07 apart
        Decision clear = marginal.decideFace(List.of(m("ross", 0.62f), m("monica", 0.55f)));

        assertThat(close.status()).isEqualTo(MatchStatus.UNKNOWN);
        assertThat(close.similarity()).isEqualTo(0.62f);
        assertThat(close.topCandidates()).extracting(Candidate::getIdentity).contains("monica");
        assertThat(clear.identity()).isEqualTo("ross");
        // without the rule (the default) the close case is a match
        assertThat(decider.decideFace(List.of(m("ross", 0.62f), m("monica", 0.58f))).identity())
                .isEqualTo("ross");
    }

    @Test
    void theMarginRuleDoesNotApplyWithOneIdentityAmongTheTopK() {
        IdentityDecider marginal = new IdentityDecider(0.4f, Float.POSITIVE_INFINITY, 0.05f);

        assertThat(marginal.decideFace(List.of(m("ross", 0.62f), m("ross", 0.61f))).identity())
                .isEqualTo("ross");
        // a tie between two identities is no margin at all
        assertThat(marginal.decideFace(List.of(m("ross", 0.62f), m("monica", 0.62f))).matched())
                .isFalse();
    }

    @Test
    void refusesThresholdsOutsideTheCosineRange() {
        assertThatThrownBy(() -> new IdentityDecider(1.5f))
                .hasMessageContaining("minSimilarity is a cosine in [-1, 1]");
        assertThatThrownBy(() -> new IdentityDecider(0.5f, -0.1f))
                .hasMessageContaining("sameIdentityMargin");
        assertThatThrownBy(() -> new IdentityDecider(0.5f, 0.1f, -0.01f))
                .hasMessageContaining("minIdentityMargin");
    }
}
