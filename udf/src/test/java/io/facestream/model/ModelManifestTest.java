package io.facestream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facestream.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundled manifest against the real model files and the licence rules. */
class ModelManifestTest {
    private final ModelManifest manifest = ModelManifest.bundled();

    @Test
    void everyChecksumMatchesTheSharedModelFile() throws Exception {
        assertThat(manifest.models()).hasSize(9);
        for (ModelSpec spec : manifest.models()) {
            if (spec.id().equals("retinaface_mnet025")) {
                continue; // derived on first use, in no shared folder: DynamicImageSizeITCase
            }
            byte[] bytes = Files.readAllBytes(TestData.sharedModel(spec.file()));
            String actual =
                    HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            assertThat(actual).as("sha256 of %s", spec.file()).isEqualTo(spec.sha256());
        }
    }

    @Test
    void defaultsAreRetinaFaceAndTheDynamicBatch512Embedder() {
        assertThat(manifest.defaultDetector().id()).isEqualTo("retinaface_mnet025");
        assertThat(manifest.defaultEmbedder().id()).isEqualTo("mbf512_faceplugin");
        assertThat(manifest.defaultDetector().kind()).isEqualTo(ModelSpec.Kind.DETECTOR);
        assertThat(manifest.defaultEmbedder().kind()).isEqualTo(ModelSpec.Kind.EMBEDDER);
    }

    @Test
    void noNonCommercialModelIsADefault() {
        assertThat(manifest.defaultDetector().commercialUse()).isTrue();
        assertThat(manifest.defaultEmbedder().commercialUse()).isTrue();
        List<String> nonCommercial =
                manifest.models().stream()
                        .filter(m -> !m.commercialUse())
                        .map(ModelSpec::id)
                        .toList();
        assertThat(nonCommercial).containsExactlyInAnyOrder("scrfd_500m", "scrfd_2.5g");
        for (String id : nonCommercial) {
            assertThat(manifest.get(id).licence()).contains("NON-COMMERCIAL");
        }
    }

    @Test
    void everyModelStatesItsLicenceSourceAndThresholds() {
        for (ModelSpec spec : manifest.models()) {
            assertThat(spec.licence()).as("licence of %s", spec.id()).isNotBlank();
            assertThat(spec.source()).as("source of %s", spec.id()).isNotBlank();
            if (spec.kind() == ModelSpec.Kind.DETECTOR) {
                assertThat(spec.thresholds()).containsKeys("minDetectionScore", "nmsIou");
            } else {
                assertThat(spec.thresholds()).containsKey("minSimilarity");
                long[] out = spec.outputs().get(0).shape();
                assertThat(out[out.length - 1]).isEqualTo(spec.embeddingDim());
            }
        }
    }

    @Test
    void reportsBatchCapabilityFromTheInputShape() {
        assertThat(manifest.get("mbf512_faceplugin").dynamicBatch()).isTrue();
        assertThat(manifest.get("mbf512_faceplugin_batch1").dynamicBatch()).isFalse();
        assertThat(manifest.get("mbf512_faceplugin_batch1").vectorSpace())
                .isEqualTo("mbf512_faceplugin");
    }

    @Test
    void bundlesTheProjectManifest() {
        Path file = ModelResolver.projectRoot().orElseThrow().resolve("models/manifest.json");

        assertThat(ModelManifest.load(file).models())
                .extracting(ModelSpec::id)
                .containsExactlyElementsOf(manifest.models().stream().map(ModelSpec::id).toList());
    }

    @Test
    void namesTheKnownModelsWhenAskedForAnUnknownOne() {
        assertThatThrownBy(() -> manifest.get("retinaface_resnet50"))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("retinaface_resnet50")
                .hasMessageContaining("retinaface_mnet025, retinaface_mnet025_640, yunet_2023mar");
    }

    @Test
    void rejectsAnUnreadableManifestFileNamingIt(@TempDir Path tmp) throws Exception {
        Path broken = Files.writeString(tmp.resolve("manifest.json"), "{\"models\": [ {\"id\": ");

        assertThatThrownBy(() -> ModelManifest.load(broken))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining(broken.toString());
    }
}
