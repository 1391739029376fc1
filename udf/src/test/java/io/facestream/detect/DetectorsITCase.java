package io.facestream.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.facestream.annotate.FaceAnnotator;
import io.facestream.decode.ImageDecoder;
import io.facestream.model.ModelManifest;
import io.facestream.model.ModelOptions;
import io.facestream.testing.TestData;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every detector on the real group photos: the expected number of faces, every box holding its
 * landmarks in a plausible order. Annotated copies go to {@code target/test-output/detect/} for a
 * human to look at; the counts were checked that way.
 */
class DetectorsITCase {
    static Stream<Arguments> cases() {
        String[][] photos = {
            {"friends/scenes/Friends.jpg", "6"},
            {"friends/scenes/Friends1.jpg", "3"},
            {"friends/scenes/t1.jpg", "6"},
            {"people/scenes/obama_and_biden.jpg", "3"},
            {"bbt/scenes/bbt1.jpg", "4"},
        };
        return Stream.of("retinaface_mnet025", "yunet_2023mar", "scrfd_500m", "scrfd_2.5g")
                .flatMap(
                        m ->
                                Stream.of(photos)
                                        .map(p -> Arguments.of(m, p[0], Integer.parseInt(p[1]))));
    }

    @ParameterizedTest(name = "{0} finds {2} faces in {1}")
    @MethodSource("cases")
    void findsEveryFaceWithPlausibleLandmarks(String model, String photo, int expected) {
        Path file = TestData.data(photo);
        try (FaceDetector det =
                        FaceDetectors.open(
                                ModelManifest.bundled().get(model),
                                ModelOptions.DEFAULT,
                                DetectorOptions.DEFAULT);
                Mat img = new ImageDecoder().decode(file)) {
            List<Face> faces = det.detect(img);
            for (Face f : faces) {
                FaceAnnotator.draw(img, f, String.format("%.2f", f.score()), FaceAnnotator.KNOWN);
            }
            TestData.writePreview(
                    img, TestData.output("detect").resolve(model + "_" + file.getFileName()));
            assertThat(faces).hasSize(expected);
            for (Face f : faces) {
                assertPlausible(f);
            }
        }
    }

    /**
     * Landmarks inside the box, and in face order whatever the head's roll: measured along the
     * normal of the eye line, the nose lies below the eyes and the mouth below the nose; along the
     * eye line, the image-left mouth corner comes before the right one.
     */
    static void assertPlausible(Face f) {
        for (int k = 0; k < 5; k++) {
            assertThat(f.lx(k)).as("landmark %d x of %s", k, f).isBetween(f.x1(), f.x2());
            assertThat(f.ly(k)).as("landmark %d y of %s", k, f).isBetween(f.y1(), f.y2());
        }
        float ex = f.lx(1) - f.lx(0);
        float ey = f.ly(1) - f.ly(0);
        assertThat(ex).as("image-left eye left of image-right eye in %s", f).isPositive();
        float mx = (f.lx(0) + f.lx(1)) / 2;
        float my = (f.ly(0) + f.ly(1)) / 2;
        // (-ey, ex) points down the face when the eye line runs left to right.
        float nose = -ey * (f.lx(2) - mx) + ex * (f.ly(2) - my);
        float mouth = -ey * ((f.lx(3) + f.lx(4)) / 2 - mx) + ex * ((f.ly(3) + f.ly(4)) / 2 - my);
        assertThat(nose).as("nose below the eye line in %s", f).isPositive();
        assertThat(mouth).as("mouth below the nose in %s", f).isGreaterThan(nose);
        float mouthAlong = ex * (f.lx(4) - f.lx(3)) + ey * (f.ly(4) - f.ly(3));
        assertThat(mouthAlong).as("mouth corners in order in %s", f).isPositive();
    }
}
