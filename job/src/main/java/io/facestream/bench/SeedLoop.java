package io.facestream.bench;

import io.facestream.align.AlignedFace;
import io.facestream.align.FaceAligner;
import io.facestream.decode.ImageDecoder;
import io.facestream.detect.DetectorOptions;
import io.facestream.detect.Face;
import io.facestream.detect.FaceDetector;
import io.facestream.detect.FaceDetectors;
import io.facestream.embed.FaceEmbedder;
import io.facestream.gallery.FaceGallery;
import io.facestream.model.ModelOptions;
import io.facestream.model.ModelSpec;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * The seed demo's loop, on the same frames and gallery: one thread decodes a frame, detects, and
 * for each face aligns, embeds it alone and looks it up alone and synchronously in Redis. ONNX
 * Runtime gets {@code models.threads()} intra-op threads (give it every core: that is how such a
 * loop would use the machine).
 */
public final class SeedLoop {
    private SeedLoop() {}

    public static Rate run(
            BenchInput in,
            ModelSpec detectorSpec,
            ModelSpec embedderSpec,
            ModelOptions models,
            FaceGallery gallery,
            int topK) {
        ImageDecoder decoder = new ImageDecoder();
        try (FaceDetector detector =
                        FaceDetectors.open(detectorSpec, models, DetectorOptions.DEFAULT);
                FaceEmbedder embedder = FaceEmbedder.open(embedderSpec, models, 1)) {
            FaceAligner aligner = new FaceAligner(embedder.inputSize());
            for (int i = 0; i < Math.min(3, in.frames()); i++) { // warm-up
                frame(in, i, decoder, detector, aligner, embedder, gallery, topK);
            }
            long faces = 0;
            long t0 = System.nanoTime();
            long c0 = Rate.cpuNanos();
            for (int i = 0; i < in.frames(); i++) {
                faces += frame(in, i, decoder, detector, aligner, embedder, gallery, topK);
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
            FaceGallery gallery,
            int topK) {
        try (Mat img = decoder.decode(in.jpegs().get(i), in.name())) {
            int n = 0;
            for (Face f : detector.detect(img)) {
                try (AlignedFace a = aligner.align(img, f)) {
                    float[] v = embedder.embed(a.crop());
                    gallery.search(embedder.spec().id(), v, topK);
                    n++;
                }
            }
            return n;
        }
    }
}
