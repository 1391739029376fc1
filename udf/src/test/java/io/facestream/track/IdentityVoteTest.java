package io.facestream.track;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IdentityVoteTest {
    /** Two wins for a name: the rule the tests below exercise (defaults() asks for one). */
    private static final VoteSettings DEFAULTS = new VoteSettings(2, 2.0f);

    @Test
    void namesATrackOnlyAfterMinWins() {
        IdentityVote vote = new IdentityVote(DEFAULTS);
        vote.add("alice", 0.61f, 1f);
        assertThat(vote.identity()).isNull();
        assertThat(vote.bestSimilarity()).isEqualTo(0.61f);
        vote.add("alice", 0.55f, 1f);
        assertThat(vote.identity()).isEqualTo("alice");
        assertThat(vote.bestSimilarity()).isEqualTo(0.61f);
        assertThat(vote.decisions()).isEqualTo(2);
    }

    @Test
    void aNameMustLeadTheOtherNamesAndUnknown() {
        IdentityVote tie = new IdentityVote(DEFAULTS);
        tie.add("alice", 0.6f, 1f);
        tie.add("bob", 0.6f, 2f);
        tie.add("alice", 0.6f, 1f); // alice has two wins but only ties with bob
        assertThat(tie.identity()).isNull();
        tie.add("bob", 0.6f, 0.5f);
        assertThat(tie.identity()).isEqualTo("bob");

        IdentityVote mostlyUnknown = new IdentityVote(DEFAULTS);
        for (int k = 0; k < 3; k++) {
            mostlyUnknown.add(null, 0.2f, 1f);
        }
        mostlyUnknown.add("alice", 0.5f, 1f);
        mostlyUnknown.add("alice", 0.5f, 1f);
        assertThat(mostlyUnknown.identity()).isNull();
        assertThat(mostlyUnknown.bestSimilarity()).isEqualTo(0.5f);
        mostlyUnknown.add("alice", 0.7f, 1.5f);
        assertThat(mostlyUnknown.identity()).isEqualTo("alice");
        assertThat(mostlyUnknown.bestSimilarity()).isEqualTo(0.7f);
    }

    @Test
    void neverFlipsBetweenTwoNamesOnACoupleOfContraryVotes() {
        IdentityVote vote = new IdentityVote(DEFAULTS);
        for (int k = 0; k < 3; k++) {
            vote.add("alice", 0.6f, 1f);
        }
        vote.add("bob", 0.9f, 1f);
        vote.add("bob", 0.9f, 1f);
        vote.add("bob", 0.9f, 1f);
        vote.add("bob", 0.9f, 2f); // bob 5 vs alice 3: leads, but not twice alice's weight
        assertThat(vote.identity()).isEqualTo("alice");
        assertThat(vote.bestSimilarity()).isEqualTo(0.6f);
        vote.add("bob", 0.9f, 1.5f); // 6.5 > 2 x 3
        assertThat(vote.identity()).isEqualTo("bob");
        assertThat(vote.bestSimilarity()).isEqualTo(0.9f);
    }

    @Test
    void unknownFacesDoNotTakeANameAway() {
        IdentityVote vote = new IdentityVote(DEFAULTS);
        vote.add("alice", 0.6f, 1f);
        vote.add("alice", 0.6f, 1f);
        for (int k = 0; k < 10; k++) {
            vote.add(null, Float.NaN, 1f);
        }
        assertThat(vote.identity()).isEqualTo("alice");
        assertThat(vote.decisions()).isEqualTo(12);
    }

    @Test
    void theOutcomeDoesNotDependOnTheOrderNamesFirstAppear() {
        // Names with different hash orders; each has one win except "x9", which has three.
        List<String> decisions = new ArrayList<>();
        for (int k = 0; k < 30; k++) {
            decisions.add("x" + k);
        }
        decisions.add("x9");
        decisions.add("x9");
        byte[] reference = null;
        Random random = new Random(5);
        for (int trial = 0; trial < 20; trial++) {
            List<String> order = new ArrayList<>(decisions);
            Collections.shuffle(order, random);
            IdentityVote vote = new IdentityVote(DEFAULTS);
            for (String name : order) {
                vote.add(name, 0.5f, 0.25f);
            }
            assertThat(vote.identity()).isEqualTo("x9");
            if (reference == null) {
                reference = vote.snapshot();
            }
            assertThat(vote.snapshot()).isEqualTo(reference);
        }
    }

    @Test
    void restoresAndContinuesLikeTheOriginal() {
        IdentityVote vote = new IdentityVote(DEFAULTS);
        vote.add("alice", 0.6f, 0.8f);
        vote.add(null, Float.NaN, 0.3f);
        vote.add("bob", 0.7f, 0.9f);
        vote.add("alice", 0.65f, 0.7f);
        IdentityVote restored = IdentityVote.restore(DEFAULTS, vote.snapshot());
        assertThat(restored.snapshot()).isEqualTo(vote.snapshot());
        assertThat(restored.identity()).isEqualTo("alice").isEqualTo(vote.identity());
        for (IdentityVote v : List.of(vote, restored)) {
            v.add("bob", 0.8f, 1f);
            v.add("bob", 0.8f, 1.5f);
        }
        assertThat(restored.identity()).isEqualTo(vote.identity()).isEqualTo("bob");
        assertThat(restored.bestSimilarity()).isEqualTo(vote.bestSimilarity());
        assertThat(restored.decisions()).isEqualTo(6);
    }

    @Test
    void refusesWeightsThatAreNotPositive() {
        IdentityVote vote = new IdentityVote(DEFAULTS);
        assertThatThrownBy(() -> vote.add("alice", 0.5f, 0f))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> vote.add("alice", 0.5f, Float.NaN))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(vote.decisions()).isZero();
    }

    @Test
    void aForgottenNameIsDroppedAndTheRestOfTheVoteDecides() {
        IdentityVote vote = new IdentityVote(DEFAULTS);
        vote.add("alice", 0.7f, 3f);
        vote.add("alice", 0.7f, 3f);
        vote.add("bob", 0.6f, 1f);
        vote.add("bob", 0.6f, 1f);
        assertThat(vote.identity()).isEqualTo("alice");

        vote.forget("alice");

        assertThat(vote.identity()).isEqualTo("bob");
        assertThat(vote.names()).containsExactly("bob");
        vote.forget("bob");
        assertThat(vote.identity()).isNull();
        // Restored from a snapshot, the forgotten names stay forgotten.
        assertThat(IdentityVote.restore(DEFAULTS, vote.snapshot()).names()).isEmpty();
    }

    @Test
    void forgettingUnknownLetsANameEnrolledLaterWin() {
        IdentityVote vote = new IdentityVote(DEFAULTS);
        for (int k = 0; k < 6; k++) {
            vote.add(null, 0.2f, 1f);
        }
        vote.add("carol", 0.6f, 1f);
        vote.add("carol", 0.6f, 1f);
        assertThat(vote.identity()).as("outweighed by six UNKNOWN decisions").isNull();

        vote.forgetUnknown();

        assertThat(vote.identity()).isEqualTo("carol");
    }
}
