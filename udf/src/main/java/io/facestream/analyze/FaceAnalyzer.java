package io.facestream.analyze;

import io.facestream.align.AlignedFace;
import io.facestream.align.FaceAligner;
import io.facestream.decode.ImageDecoder;
import io.facestream.detect.DetectorOptions;
import io.facestream.detect.Face;
import io.facestream.detect.FaceDetector;
import io.facestream.detect.FaceDetectors;
import io.facestream.embed.FaceEmbedder;
import io.facestream.model.ModelManifest;
import io.facestream.model.ModelOptions;
import io.facestream.model.ModelSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * The vision core behind every later stage: image → faces, each with box, landmarks, score, aligned
 * crop and embedding. Faces come in detector order (descending score). Owns its detector and
 * embedder sessions; one instance per thread.
 */
public final class FaceAnalyzer implements AutoCloseable {
    private final FaceDetector detector;
    private final FaceAligner aligner;
    private final FaceEmbedder embedder;
    private final ImageDecoder decoder;

    public FaceAnalyzer(FaceDetector detector, FaceEmbedder embedder, ImageDecoder decoder) {
        this.detector = detector;
        this.embedder = embedder;
        this.aligner = new FaceAligner(embedder.inputSize());
        this.decoder = decoder;
    }

    /** Opens the given models (null ids: the manifest defaults). */
    public static FaceAnalyzer open(
            String detectorId,
            String embedderId,
            ModelOptions models,
            DetectorOptions detect,
            int embedBatch) {
        ModelManifest manifest = ModelManifest.bundled();
        ModelSpec det = detectorId == null ? manifest.defaultDetector() : manifest.get(detectorId);
        ModelSpec emb = embedderId == null ? manifest.defaultEmbedder() : manifest.get(embedderId);
        FaceDetector d = FaceDetectors.open(det, models, detect);
        try {
            return new FaceAnalyzer(
                    d, FaceEmbedder.open(emb, models, embedBatch), new ImageDecoder());
        } catch (RuntimeException e) {
            d.close();
            throw e;
        }
    }

    public FaceDetector detector() {
        return detector;
    }

    public FaceEmbedder embedder() {
        return embedder;
    }

    public ImageDecoder decoder() {
        return decoder;
    }

    public List<AnalyzedFace> analyze(Path image) {
        try (Mat bgr = decoder.decode(image)) {
            return analyze(bgr);
        }
    }

    public List<AnalyzedFace> analyze(byte[] encoded, String source) {
        try (Mat bgr = decoder.decode(encoded, source)) {
            return analyze(bgr);
        }
    }

    public List<AnalyzedFace> analyze(Mat bgr) {
        List<Face> faces = detector.detect(bgr);
        List<AlignedFace> aligned = new ArrayList<>(faces.size());
        try {
            for (Face f : faces) {
                aligned.add(aligner.align(bgr, f));
            }
            List<Mat> crops = new ArrayList<>(aligned.size());
            for (AlignedFace a : aligned) {
                crops.add(a.crop());
            }
            float[][] vectors = embedder.embed(crops);
            List<AnalyzedFace> out = new ArrayList<>(faces.size());
            int size = aligner.size();
            for (int i = 0; i < faces.size(); i++) {
                byte[] pixels = new byte[size * size * 3];
                aligned.get(i).crop().data().get(pixels);
                out.add(
                        new AnalyzedFace(
                                i,
                                faces.get(i),
                                pixels,
                                size,
                                aligned.get(i).residual(),
                                vectors[i]));
            }
            return out;
        } finally {
            aligned.forEach(AlignedFace::close);
        }
    }

    @Override
    public void close() {
        detector.close();
        embedder.close();
    }
}
