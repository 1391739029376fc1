package io.facestream.bench;

import io.facestream.align.AlignedFace;
import io.facestream.align.FaceAligner;
import io.facestream.analyze.AnalyzedFace;
import io.facestream.analyze.FaceAnalyzer;
import io.facestream.decode.ImageDecoder;
import io.facestream.detect.DetectorOptions;
import io.facestream.detect.Face;
import io.facestream.detect.FaceDetector;
import io.facestream.detect.FaceDetectors;
import io.facestream.embed.FaceEmbedder;
import io.facestream.model.ModelOptions;
import io.facestream.model.ModelSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * What a Python user writes with OpenCV, onnxruntime and numpy, on the same frames: one thread that
 * per frame decodes the JPEG, detects, aligns every face, embeds all faces of the frame in one
 * batched call, and matches each vector by cosine against the gallery held in memory (a dot product
 * with every enrolled unit vector). ONNX Runtime gets the product's session settings with {@code
 * models.intraOpThreads()} threads (give it every core: that is how such a loop uses the machine;
 * spinning stays as the product sets it, off).
 */
public final class SeedLoop {
    private SeedLoop() {}

    /** The gallery as such a script keeps it: one unit vector per face in the enrolment photos. */
    public static float[][] gallery(
            Path dir, ModelSpec detector, ModelSpec embedder, ModelOptions m) throws IOException {
        List<float[]> out = new ArrayList<>();
        try (FaceAnalyzer a =
                        new FaceAnalyzer(
                                FaceDetectors.open(detector, m, DetectorOptions.DEFAULT),
                                FaceEmbedder.open(embedder, m, 8),
                                new ImageDecoder());
                Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                for (AnalyzedFace f : a.analyze(p)) {
                    out.add(f.embedding());
                }
            }
        }
        return out.toArray(new float[0][]);
    }

    public static Rate run(
            BenchInput in,
            ModelSpec detectorSpec,
            ModelSpec embedderSpec,
            ModelOptions models,
            float[][] gallery) {
        ImageDecoder decoder = new ImageDecoder();
        try (FaceDetector detector =
                        FaceDetectors.open(detectorSpec, models, DetectorOptions.DEFAULT);
                FaceEmbedder embedder = FaceEmbedder.open(embedderSpec, models, 64)) {
            FaceAligner aligner = new FaceAligner(embedder.inputSize());
            for (int i = 0; i < Math.min(3, in.frames()); i++) { // warm-up
                frame(in, i, decoder, detector, aligner, embedder, gallery);
            }
            long faces = 0;
            long t0 = System.nanoTime();
            long c0 = Rate.cpuNanos();
            for (int i = 0; i < in.frames(); i++) {
                faces += frame(in, i, decoder, detector, aligner, embedder, gallery);
            }
            double s = (System.nanoTime() - t0) / 1e9;
            return new Rate(in.frames(), faces, s, (Rate.cpuNanos() - c0) / 1e9 / s);
        }
    }

    private static int frame(
            BenchInput in,
            int i,
            ImageDecoder decoder,
            FaceDetector detector,
            FaceAligner aligner,
            FaceEmbedder embedder,
            float[][] gallery) {
        try (Mat img = decoder.decode(in.jpegs().get(i), in.name())) {
            List<AlignedFace> aligned = new ArrayList<>();
            try {
                List<Mat> crops = new ArrayList<>();
                for (Face f : detector.detect(img)) {
                    AlignedFace a = aligner.align(img, f);
                    aligned.add(a);
                    crops.add(a.crop());
                }
                if (crops.isEmpty()) {
                    return 0;
                }
                for (float[] v : embedder.embed(crops)) {
                    best(v, gallery);
                }
                return crops.size();
            } finally {
                aligned.forEach(AlignedFace::close);
            }
        }
    }

    /** Index of the most similar gallery vector (both unit length: cosine = dot product). */
    static int best(float[] v, float[][] gallery) {
        int best = -1;
        double top = Double.NEGATIVE_INFINITY;
        for (int g = 0; g < gallery.length; g++) {
            double dot = 0;
            for (int k = 0; k < v.length; k++) {
                dot += v[k] * gallery[g][k];
            }
            if (dot > top) {
                top = dot;
                best = g;
            }
        }
        return best;
    }
}
