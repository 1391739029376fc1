package io.facestream.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_core.flip;

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
import java.util.Comparator;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/** Flip test-time augmentation with the real default models on a real photo. */
class FlipTtaITCase {
    @Test
    void averagesACropWithItsMirrorSoMirroringTheInputChangesNothing() throws Exception {
        ModelManifest m = ModelManifest.bundled();
        try (FaceDetector det =
                        FaceDetectors.open(
                                m.defaultDetector(),
                                ModelOptions.DEFAULT,
                                DetectorOptions.DEFAULT);
                FaceEmbedder emb = FaceEmbedder.open(m.defaultEmbedder(), ModelOptions.DEFAULT, 8);
                Mat img = new ImageDecoder().decode(TestData.data("friends/gallery/Joey_1.jpg"))) {
            Face face =
                    det.detect(img).stream().max(Comparator.comparing(Face::area)).orElseThrow();
            try (AlignedFace a = new FaceAligner(112).align(img, face);
                    Mat mirrored = new Mat()) {
                flip(a.crop(), mirrored, 1);
                float[] plain = emb.embed(a.crop());
                float[] mirror = emb.embed(mirrored);
                // the model alone is not mirror-invariant: the two views differ
                assertThat(Vectors.dot(plain, mirror)).isBetween(0.5, 0.995);

                emb.flipTta(true);
                float[] tta = emb.embed(a.crop());
                float[] ttaOfMirror = emb.embed(mirrored);
                float[] mean = new float[plain.length];
                for (int k = 0; k < mean.length; k++) {
                    mean[k] = plain[k] + mirror[k];
                }
                Vectors.normalize(mean);
                assertThat(Vectors.dot(tta, mean)).isGreaterThan(0.99999);
                assertThat(Vectors.dot(tta, ttaOfMirror)).isGreaterThan(0.99999);
                assertThat(Vectors.norm(tta)).isBetween(0.9999, 1.0001);
            }
        }
    }
}
