package io.facestream.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facestream.flink.UnknownSettings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code unknowns.*}: off unless asked for, defaults when on, bad values refused at submit. */
class UnknownsConfigTest {
    static JobConfig load(String... sets) {
        List<String> all = new java.util.ArrayList<>(List.of(sets));
        all.add("source.uris=" + JobTestSupport.CLIP);
        return JobConfig.load(null, all);
    }

    @Test
    void offByDefault() {
        assertThat(load().unknownSettings().enabled()).isFalse();
    }

    @Test
    void onWithTheMatchThresholdAndThirtyDaysRetentionByDefault() {
        JobConfig cfg = load("unknowns.enabled=true", "gallery.name=cams");
        UnknownSettings u = cfg.unknownSettings();
        assertThat(u.enabled()).isTrue();
        assertThat(u.gallery()).isEqualTo("cams");
        // The match threshold: the default embedder's in the manifest (0.35 for mbf512).
        assertThat(u.options().minSimilarity())
                .isEqualTo(cfg.assembleSettings().minSimilarity())
                .isEqualTo(0.35f);
        assertThat(u.options().ttl()).isEqualTo(Duration.ofDays(30));
        assertThat(u.options().maxVectors()).isEqualTo(5);
        assertThat(u.expireIntervalMs()).isEqualTo(600_000);
        assertThat(u.embedderModel()).isNotBlank();
        assertThat(u.toString()).doesNotContain("redis://");
    }

    @Test
    void refusesBadValuesWhenTheConfigurationIsRead() {
        assertThatThrownBy(() -> load("unknowns.enabled=true", "unknowns.ttl=0s"))
                .hasMessageContaining("unknowns.ttl");
        assertThatThrownBy(() -> load("unknowns.enabled=true", "unknowns.min-similarity=1.5"))
                .hasMessageContaining("unknowns.min-similarity");
        assertThatThrownBy(() -> load("unknowns.enabled=true", "unknowns.max-vectors=0"))
                .hasMessageContaining("unknowns.max-vectors");
    }
}
