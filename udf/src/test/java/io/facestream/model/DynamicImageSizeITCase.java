package io.facestream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facestream.decode.ImageDecoder;
import io.facestream.detect.Letterbox;
import io.facestream.testing.TestData;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default detector file is the upstream RetinaFace export with only its input size made
 * dynamic: derived from {@code ../shared/models}, it has the manifest's sha256, gives the very same
 * outputs as the original on the original's 640×640 input, and takes a 640×384 input (10080 priors
 * instead of 16800).
 */
class DynamicImageSizeITCase {
    private static final ModelManifest MANIFEST = ModelManifest.bundled();
    private static final ModelSpec FIXED = MANIFEST.get("retinaface_mnet025_640");
    private static final ModelSpec DYNAMIC = MANIFEST.get("retinaface_mnet025");
    private static final List<String> OUTPUTS = List.of("output0", "572", "571");

    @TempDir Path tmp;

    @Test
    void theDerivedFileIsTheManifestsAndMatchesTheOriginalOnItsOwnInputSize() throws Exception {
        assertThat(DYNAMIC.derivedFrom()).isEqualTo(FIXED.id());
        Path original = TestData.sharedModel(FIXED.file());
        Path derived = new ModelFetcher(tmp, null).derive(DYNAMIC, original);
        assertThat(ModelResolver.sha256(derived)).isEqualTo(DYNAMIC.sha256());

        try (OnnxModel fixed = OnnxModel.open(FIXED, original, ModelOptions.DEFAULT);
                OnnxModel dynamic = OnnxModel.open(DYNAMIC, derived, ModelOptions.DEFAULT);
                Mat photo = new ImageDecoder().decode(TestData.data("bbt/scenes/bbt1.jpg"))) {
            Letterbox square = Letterbox.plan(photo.cols(), photo.rows(), FIXED.input());
            OnnxModel.Outputs a = fixed.run(packed(photo, square), shape(square));
            OnnxModel.Outputs b = dynamic.run(packed(photo, square), shape(square));
            for (String out : OUTPUTS) {
                assertThat(b.shape(out)[1]).as(out).isEqualTo(16800);
                assertThat(maxAbsDiff(a.get(out), b.get(out))).as(out).isZero();
            }

            Letterbox fitted = Letterbox.plan(photo.cols(), photo.rows(), DYNAMIC.input());
            assertThat(shape(fitted)).containsExactly(1, 3, 384, 640);
            OnnxModel.Outputs c = dynamic.run(packed(photo, fitted), shape(fitted));
            assertThat(c.shape("output0")).containsExactly(1, 10080, 4);
            assertThat(c.shape("572")).containsExactly(1, 10080, 2);
            assertThat(c.shape("571")).containsExactly(1, 10080, 10);
            // The original refuses any other size: that is what the rewrite is for.
            assertThatThrownBy(() -> fixed.run(packed(photo, fitted), shape(fitted)))
                    .hasMessageContaining("input0");
        }
    }

    @Test
    void refusesFilesItCannotRewrite() throws Exception {
        Path original = TestData.sharedModel(FIXED.file());
        byte[] once = DynamicImageSize.derive(Files.readAllBytes(original));
        // Already dynamic: no fixed height and width left to free.
        assertThatThrownBy(() -> DynamicImageSize.derive(once))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("fixed height and width");
        Path jpeg = TestData.data("people/gallery/obama/obama_a.jpg");
        assertThatThrownBy(() -> DynamicImageSize.derive(Files.readAllBytes(jpeg)))
                .isInstanceOf(ModelException.class);
    }

    private static FloatBuffer packed(Mat img, Letterbox lb) {
        FloatBuffer in = TensorPacker.allocate(1, lb.inputWidth(), lb.inputHeight());
        try (Mat fitted = lb.apply(img)) {
            TensorPacker.pack(fitted, DYNAMIC.input(), in);
        }
        return in.flip();
    }

    private static long[] shape(Letterbox lb) {
        return new long[] {1, 3, lb.inputHeight(), lb.inputWidth()};
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        assertThat(b).hasSameSizeAs(a);
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst;
    }
}
