package io.facestream.analyze;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.facestream.decode.ImageDecodeException;
import io.facestream.detect.DetectorOptions;
import io.facestream.embed.Vectors;
import io.facestream.model.ModelOptions;
import io.facestream.testing.TestData;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The facade later stages use, on real photos with the default models. */
class FaceAnalyzerITCase {

    @Test
    void analysesEveryFaceOfTheSeedPhoto() {
        try (FaceAnalyzer analyzer =
                FaceAnalyzer.open(null, null, ModelOptions.DEFAULT, DetectorOptions.DEFAULT, 8)) {
            assertThat(analyzer.detector().spec().id()).isEqualTo("retinaface_mnet025");
            assertThat(analyzer.embedder().spec().id()).isEqualTo("mbf512_faceplugin");
            List<AnalyzedFace> faces =
                    analyzer.analyze(TestData.data("friends/scenes/Friends1.jpg"));
            assertThat(faces).hasSize(3);
            for (AnalyzedFace f : faces) {
                assertThat(f.embedding()).hasSize(512);
                assertThat(Vectors.norm(f.embedding())).isCloseTo(1.0, within(1e-5));
                assertThat(f.crop()).hasSize(112 * 112 * 3);
                assertThat(f.alignResidual()).isLessThan(10);
            }
            // three different people: no pair looks alike
            for (int i = 0; i < 3; i++) {
                for (int j = i + 1; j < 3; j++) {
                    assertThat(Vectors.dot(faces.get(i).embedding(), faces.get(j).embedding()))
                            .isLessThan(0.35);
                }
            }
        }
    }

    @Test
    void findsTheSamePersonAcrossTwoPhotos() {
        try (FaceAnalyzer analyzer =
                FaceAnalyzer.open(null, null, ModelOptions.DEFAULT, DetectorOptions.DEFAULT, 8)) {
            float[] a =
                    analyzer.analyze(TestData.data("people/gallery/obama/obama_a.jpg"))
                            .get(0)
                            .embedding();
            float[] b =
                    analyzer.analyze(TestData.data("people/gallery/obama/obama_b.jpg"))
                            .get(0)
                            .embedding();
            assertThat(Vectors.dot(a, b)).isGreaterThan(0.5);
        }
    }

    @Test
    void reportsBytesThatAreNotAnImage() {
        try (FaceAnalyzer analyzer =
                FaceAnalyzer.open(null, null, ModelOptions.DEFAULT, DetectorOptions.DEFAULT, 8)) {
            assertThatThrownBy(
                            () ->
                                    analyzer.analyze(
                                            "hello".getBytes(StandardCharsets.UTF_8),
                                            "kafka:frames/0/17"))
                    .isInstanceOf(ImageDecodeException.class)
                    .hasMessageContaining("kafka:frames/0/17")
                    .hasMessageContaining("not a decodable image");
        }
    }
}
