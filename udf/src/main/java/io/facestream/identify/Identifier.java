package io.facestream.identify;

import io.facestream.analyze.AnalyzedFace;
import io.facestream.analyze.FaceAnalyzer;
import io.facestream.gallery.Decision;
import io.facestream.gallery.FaceGallery;
import io.facestream.gallery.IdentityDecider;
import io.facestream.gallery.Match;
import io.facestream.gallery.MatchDecision;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Identifies every face of an image against a gallery: analyse, search per face the top-k identity
 * templates or entries ({@link MatchDecision}, the same choice the streaming job's lookup makes),
 * then let {@link IdentityDecider} apply the threshold, the tie-break vote and the rule that two
 * faces of one image do not get the same identity. Synchronous: for the CLI and for batch tools;
 * the streaming job looks up asynchronously.
 */
public final class Identifier {
    private final FaceAnalyzer analyzer;
    private final FaceGallery gallery;
    private final IdentityDecider decider;
    private final int topK;
    private final MatchDecision decision;

    /** With the default decision ({@link MatchDecision#DEFAULT}). */
    public Identifier(
            FaceAnalyzer analyzer, FaceGallery gallery, IdentityDecider decider, int topK) {
        this(analyzer, gallery, decider, topK, MatchDecision.DEFAULT);
    }

    public Identifier(
            FaceAnalyzer analyzer,
            FaceGallery gallery,
            IdentityDecider decider,
            int topK,
            MatchDecision decision) {
        if (topK < 1) {
            throw new IllegalArgumentException("match.top-k must be >= 1, got " + topK);
        }
        this.analyzer = analyzer;
        this.gallery = gallery;
        this.decider = decider;
        this.topK = topK;
        this.decision = java.util.Objects.requireNonNull(decision, "decision");
    }

    public List<IdentifiedFace> identify(Mat bgr) {
        return decide(analyzer.analyze(bgr));
    }

    public List<IdentifiedFace> identify(byte[] encoded, String source) {
        return decide(analyzer.analyze(encoded, source));
    }

    private List<IdentifiedFace> decide(List<AnalyzedFace> faces) {
        String model = analyzer.embedder().spec().vectorSpace();
        List<List<Match>> topKs = new ArrayList<>(faces.size());
        for (AnalyzedFace f : faces) {
            topKs.add(decision.search(gallery, model, f.embedding(), topK, null));
        }
        List<Decision> decisions = decider.decide(topKs);
        List<IdentifiedFace> out = new ArrayList<>(faces.size());
        for (int i = 0; i < faces.size(); i++) {
            out.add(new IdentifiedFace(faces.get(i), decisions.get(i)));
        }
        return out;
    }
}
