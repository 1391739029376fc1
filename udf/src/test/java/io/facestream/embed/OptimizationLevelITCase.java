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
import io.facestream.model.ModelSpec;
import io.facestream.model.OrtTuning;
import io.facestream.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/**
 * The default embedder's optimisation level is a speed setting, not a change of model: on every 3rd
 * frame of the sample clip, each face embedded with the graph optimised at {@code all} (the product
 * default) and at {@code extended} (the level used before it was re-measured) gives the same vector
 * up to float rounding and the same best match in the people gallery.
 */
class OptimizationLevelITCase {
    private static final ModelManifest MANIFEST = ModelManifest.bundled();

    @Test
    void allAndExtendedGiveTheSameVectorsAndMatchesOnTheClip() throws Exception {
        ModelSpec spec = MANIFEST.defaultEmbedder();
        List<Mat> crops = clipCrops(3);
        List<Mat> gallery = galleryCrops();
        assertThat(crops).hasSizeGreaterThan(150);
        ModelOptions all =
                ModelOptions.DEFAULT.withTuning(
                        OrtTuning.DEFAULT.withOptimization(spec.id(), "all"));
        ModelOptions extended =
                ModelOptions.DEFAULT.withTuning(
                        OrtTuning.DEFAULT.withOptimization(spec.id(), "extended"));
        try (FaceEmbedder a = FaceEmbedder.open(spec, all, 8);
                FaceEmbedder e = FaceEmbedder.open(spec, extended, 8)) {
            float[][] va = a.embed(crops);
            float[][] ve = e.embed(crops);
            float[][] ga = a.embed(gallery);
            float[][] ge = e.embed(gallery);
            double worst = 1;
            int sameBest = 0;
            for (int i = 0; i < crops.size(); i++) {
                worst = Math.min(worst, dot(va[i], ve[i]));
                if (best(va[i], ga) == best(ve[i], ge)) {
                    sameBest++;
                }
            }
            assertThat(worst).as("worst cosine between the two levels").isGreaterThan(0.999);
            assertThat(sameBest)
                    .as("faces with the same best gallery entry")
                    .isEqualTo(crops.size());
        } finally {
            crops.forEach(Mat::close);
            gallery.forEach(Mat::close);
        }
    }

    private static List<Mat> clipCrops(int every) throws Exception {
        List<Mat> out = new ArrayList<>();
        FaceAligner aligner = new FaceAligner(112);
        try (FaceDetector det =
                        FaceDetectors.open(
                                MANIFEST.defaultDetector(),
                                ModelOptions.DEFAULT,
                                DetectorOptions.DEFAULT);
                FFmpegFrameGrabber g =
                        new FFmpegFrameGrabber(TestData.data("video/hamilton_clip.mp4").toFile());
                OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat()) {
            g.start();
            Frame f;
            for (int n = 0; (f = g.grabImage()) != null; n++) {
                if (n % every != 0) {
                    continue;
                }
                Mat img = conv.convert(f);
                for (Face face : det.detect(img)) {
                    try (AlignedFace a = aligner.align(img, face)) {
                        out.add(a.crop().clone());
                    }
                }
            }
        }
        return out;
    }

    private static List<Mat> galleryCrops() throws Exception {
        List<Mat> out = new ArrayList<>();
        FaceAligner aligner = new FaceAligner(112);
        try (FaceDetector det =
                        FaceDetectors.open(
                                MANIFEST.defaultDetector(),
                                ModelOptions.DEFAULT,
                                DetectorOptions.DEFAULT);
                Stream<Path> s = Files.walk(TestData.data("people/gallery"))) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                try (Mat img = new ImageDecoder().decode(p)) {
                    for (Face face : det.detect(img)) {
                        try (AlignedFace a = aligner.align(img, face)) {
                            out.add(a.crop().clone());
                        }
                    }
                }
            }
        }
        return out;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += a[k] * b[k];
        }
        return s;
    }

    private static int best(float[] v, float[][] gallery) {
        int best = -1;
        double top = Double.NEGATIVE_INFINITY;
        for (int g = 0; g < gallery.length; g++) {
            double d = dot(v, gallery[g]);
            if (d > top) {
                top = d;
                best = g;
            }
        }
        return best;
    }
}
