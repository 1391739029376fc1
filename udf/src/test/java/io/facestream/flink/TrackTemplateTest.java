package io.facestream.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.facestream.schema.internal.TrackAppearanceState;
import io.facestream.track.VoteSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrackTemplateTest {
    static TrackAppearanceState state() {
        return TrackAppearances.start(1, 0, 0, VoteSettings.defaults()).state();
    }

    @Test
    void isTheNormalisedMeanOfTheNormalisedEmbeddings() {
        TrackAppearanceState s = state();
        assertThat(TrackTemplate.of(s)).isNull();
        TrackTemplate.add(s, List.of(3f, 4f)); // (0.6, 0.8)
        TrackTemplate.add(s, List.of(0f, 2f)); // (0, 1): a longer vector weighs the same
        TrackTemplate.add(s, List.of(0f, 0f)); // no direction: ignored
        assertThat(s.getTemplateFaces()).isEqualTo(2);
        float[] t = TrackTemplate.of(s);
        // (0.6, 1.8) / |(0.6, 1.8)|
        assertThat(t[0]).isCloseTo(0.31623f, within(1e-5f));
        assertThat(t[1]).isCloseTo(0.94868f, within(1e-5f));
    }
}
