package io.facestream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OrtTuningTest {
    private final ModelManifest manifest = ModelManifest.bundled();

    @Test
    void everyBundledModelRunsFullyOptimisedUnlessOverridden() {
        for (ModelSpec m : manifest.models()) {
            assertThat(OrtTuning.DEFAULT.levelFor(m)).as(m.id()).isEqualTo("all");
        }
        ModelSpec emb = manifest.defaultEmbedder();
        OrtTuning t = OrtTuning.DEFAULT.withOptimization(emb.id(), "extended");
        assertThat(t.levelFor(emb)).isEqualTo("extended");
        assertThat(t.levelFor(manifest.defaultDetector())).isEqualTo("all");
    }

    @Test
    void refusesAnUnknownLevelNamingTheModel() {
        assertThatThrownBy(
                        () -> new OrtTuning(Map.of("mbf512_faceplugin", "max"), false, true, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mbf512_faceplugin")
                .hasMessageContaining("max");
    }

    @Test
    void defaultsSpinNotAndKeepOrtAllocatorDefaults() {
        assertThat(OrtTuning.DEFAULT.spinning()).isFalse();
        assertThat(OrtTuning.DEFAULT.cpuArena()).isTrue();
        assertThat(OrtTuning.DEFAULT.memoryPattern()).isTrue();
        assertThat(ModelOptions.DEFAULT.tuning()).isEqualTo(OrtTuning.DEFAULT);
    }
}
