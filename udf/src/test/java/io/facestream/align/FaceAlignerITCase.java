package io.facestream.align;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.List;
import java.util.stream.Stream;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/** Alignment of real RetinaFace detections onto the ArcFace template. */
class FaceAlignerITCase {

    @Test
    void fitsRealLandmarksToTheTemplateWithinFivePixels() throws Exception {
        FaceAligner aligner = new FaceAligner(112);
        List<Path> photos;
        try (Stream<Path> s = Files.list(TestData.data("friends/gallery"))) {
            photos = s.sorted().toList();
        }
        photos =
                Stream.concat(photos.stream(), Stream.of(TestData.data("friends/scenes/t1.jpg")))
                        .toList();
        int faces = 0;
        double worst = 0;
        double sum = 0;
        try (FaceDetector det =
                FaceDetectors.open(
                        ModelManifest.bundled().defaultDetector(),
                        ModelOptions.DEFAULT,
                        DetectorOptions.DEFAULT)) {
            for (Path p : photos) {
                try (Mat img = new ImageDecoder().decode(p)) {
                    for (Face f : det.detect(img)) {
                        try (AlignedFace a = aligner.align(img, f)) {
                            assertThat(a.crop().cols()).isEqualTo(112);
                            assertThat(a.crop().rows()).isEqualTo(112);
                            assertThat(a.crop().channels()).isEqualTo(3);
                            // one strongly turned head may exceed 5 px; the mean may not
                            assertThat(a.residual())
                                    .as("%s %s", p.getFileName(), f)
                                    .isLessThan(10.0);
                            worst = Math.max(worst, a.residual());
                            sum += a.residual();
                            faces++;
                            if (faces <= 3) {
                                TestData.writePreview(
                                        a.crop(),
                                        TestData.output("align").resolve("crop" + faces + ".png"));
                            }
                        }
                    }
                }
            }
        }
        System.out.printf(
                "alignment: %d faces, mean residual %.2f px, worst %.2f px%n",
                faces, sum / faces, worst);
        assertThat(faces).isGreaterThanOrEqualTo(20);
        assertThat(sum / faces).isLessThan(5.0);
    }
}
