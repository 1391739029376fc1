package io.facestream.embed;

import static org.assertj.core.api.Assertions.assertThat;

import io.facestream.align.AlignedFace;
import io.facestream.align.FaceAligner;
import io.facestream.decode.ImageDecoder;
import io.facestream.detect.DetectorOptions;
import io.facestream.detect.Face;
import io.facestream.detect.FaceDetector;
import io.facestream.detect.FaceDetectors;
import io.facestream.model.ModelManifest;
import io.facestream.model.ModelOptions;
import io.facestream.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The real embedders on aligned crops of the seed's Friends gallery. */
class FaceEmbedderITCase {
    static final List<Mat> crops = new ArrayList<>();
    static final List<String> names = new ArrayList<>();

    @BeforeAll
    static void alignTheGallery() throws Exception {
        List<Path> photos;
        try (Stream<Path> s = Files.list(TestData.data("friends/gallery"))) {
            photos = s.sorted().toList();
        }
        FaceAligner aligner = new FaceAligner(112);
        try (FaceDetector det =
                FaceDetectors.open(
                        ModelManifest.bundled().defaultDetector(),
                        ModelOptions.DEFAULT,
                        DetectorOptions.DEFAULT)) {
            for (Path p : photos) {
                try (Mat img = new ImageDecoder().decode(p)) {
                    Face largest =
                            det.detect(img).stream()
                                    .max(Comparator.comparing(Face::area))
                                    .orElseThrow();
                    AlignedFace a = aligner.align(img, largest);
                    crops.add(a.crop());
                    names.add(p.getFileName().toString().replaceAll("_\\d+\\..*$", ""));
                }
            }
        }
        assertThat(crops).hasSize(20);
    }

    @AfterAll
    static void release() {
        crops.forEach(Mat::close);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mbf512_faceplugin", "mbf128_foamliu"})
    void batchAndOneAtATimeGiveTheSameUnitVectors(String id) {
        ModelManifest m = ModelManifest.bundled();
        try (FaceEmbedder batched = FaceEmbedder.open(m.get(id), ModelOptions.DEFAULT, 8);
                FaceEmbedder single =
                        FaceEmbedder.open(m.get(id + "_batch1"), ModelOptions.DEFAULT, 8)) {
            assertThat(batched.maxBatch()).isEqualTo(8);
            assertThat(single.maxBatch()).isEqualTo(1);
            float[][] a = batched.embed(crops);
            float[][] b = single.embed(crops);
            float[][] c = new float[crops.size()][];
            for (int i = 0; i < crops.size(); i++) {
                c[i] = batched.embed(crops.get(i));
            }
            double maxDiff = 0;
            for (int i = 0; i < a.length; i++) {
                assertThat(a[i]).hasSize(m.get(id).embeddingDim());
                assertThat(Vectors.norm(a[i]))
                        .isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-5));
                for (int j = 0; j < a[i].length; j++) {
                    maxDiff = Math.max(maxDiff, Math.abs(a[i][j] - b[i][j]));
                    maxDiff = Math.max(maxDiff, Math.abs(a[i][j] - c[i][j]));
                }
            }
            System.out.printf("%s: batch vs one-at-a-time max |diff| = %.2e%n", id, maxDiff);
            assertThat(maxDiff).isLessThanOrEqualTo(1e-4);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mbf512_faceplugin", "mbf128_foamliu"})
    void everySamePersonPairBeatsTheMeanDifferentPersonPair(String id) {
        try (FaceEmbedder e =
                FaceEmbedder.open(ModelManifest.bundled().get(id), ModelOptions.DEFAULT, 8)) {
            float[][] v = e.embed(crops);
            List<Double> same = new ArrayList<>();
            List<Double> diff = new ArrayList<>();
            for (int i = 0; i < v.length; i++) {
                for (int j = i + 1; j < v.length; j++) {
                    (names.get(i).equals(names.get(j)) ? same : diff).add(Vectors.dot(v[i], v[j]));
                }
            }
            double meanDiff = diff.stream().mapToDouble(d -> d).average().orElseThrow();
            System.out.printf(
                    "%s on friends/gallery: same person n=%d mean %.3f min %.3f | different n=%d mean %.3f max %.3f%n",
                    id,
                    same.size(),
                    same.stream().mapToDouble(d -> d).average().orElseThrow(),
                    same.stream().mapToDouble(d -> d).min().orElseThrow(),
                    diff.size(),
                    meanDiff,
                    diff.stream().mapToDouble(d -> d).max().orElseThrow());
            assertThat(same).hasSize(3 + 3 + 6 + 6 + 3 + 3);
            assertThat(same).allSatisfy(s -> assertThat(s).isGreaterThan(meanDiff));
        }
    }
}
