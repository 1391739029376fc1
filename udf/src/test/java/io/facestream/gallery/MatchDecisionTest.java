package io.facestream.gallery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@code match.decision} values as the job config and the CLI's {@code --decision} give them. */
class MatchDecisionTest {
    @Test
    void parsesBothValuesAndDefaultsToTemplate() {
        assertThat(MatchDecision.fromConfig("template")).isEqualTo(MatchDecision.TEMPLATE);
        assertThat(MatchDecision.fromConfig(" Top-K ")).isEqualTo(MatchDecision.TOP_K);
        assertThat(MatchDecision.DEFAULT).isEqualTo(MatchDecision.TEMPLATE);
        assertThat(MatchDecision.TOP_K.configValue()).isEqualTo("top-k");
    }

    @Test
    void refusesOtherValuesNamingTheAllowedOnes() {
        assertThatThrownBy(() -> MatchDecision.fromConfig("best-entry"))
                .isInstanceOf(GalleryException.class)
                .hasMessageContaining("match.decision")
                .hasMessageContaining("template | top-k");
    }
}
