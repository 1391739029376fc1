package io.facestream.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facestream.model.ModelOptions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code models.*} keys reach the ONNX Runtime sessions' settings. */
class ModelSettingsTest {
    private static JobConfig load(String... sets) {
        List<String> all = new ArrayList<>(List.of("source.uris=clip=/tmp/clip.mp4"));
        all.addAll(List.of(sets));
        return JobConfig.load(null, all);
    }

    @Test
    void defaultsRunEveryModelAtItsManifestLevelWithoutSpinning() {
        JobConfig cfg = load();
        ModelOptions m = cfg.models();
        assertThat(m.intraOpThreads()).isEqualTo(1);
        assertThat(m.tuning().levelFor(cfg.embedder())).isEqualTo("all");
        assertThat(m.tuning().levelFor(cfg.detector())).isEqualTo("all");
        assertThat(m.tuning().spinning()).isFalse();
        assertThat(m.tuning().cpuArena()).isTrue();
        assertThat(m.tuning().memoryPattern()).isTrue();
    }

    @Test
    void overridesALevelPerModelAndTheOtherSettings() {
        JobConfig cfg =
                load(
                        "models.optimization=mbf512_faceplugin:extended",
                        "models.spinning=true",
                        "models.cpu-arena=false",
                        "models.memory-pattern=false",
                        "models.threads=2");
        ModelOptions m = cfg.models();
        assertThat(m.tuning().levelFor(cfg.embedder())).isEqualTo("extended");
        assertThat(m.tuning().levelFor(cfg.detector())).isEqualTo("all");
        assertThat(m.tuning().spinning()).isTrue();
        assertThat(m.tuning().cpuArena()).isFalse();
        assertThat(m.tuning().memoryPattern()).isFalse();
        assertThat(m.intraOpThreads()).isEqualTo(2);
    }

    @Test
    void refusesAnUnknownLevel() {
        assertThatThrownBy(() -> load("models.optimization=mbf512_faceplugin:fast").models())
                .hasMessageContaining("mbf512_faceplugin")
                .hasMessageContaining("fast");
    }
}
