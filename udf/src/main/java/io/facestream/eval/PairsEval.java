package io.facestream.eval;

import io.facestream.embed.Vectors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Verification on a {@link PairsFile}: each image embedded once, each pair scored by the cosine of
 * its two embeddings. A pair with an unusable image is skipped and noted; the image's failure is
 * counted once.
 */
public final class PairsEval {
    private PairsEval() {}

    public static EvalReport run(
            EvalImages images,
            Path pairsFile,
            Path imageRoot,
            double threshold,
            double targetFar,
            String detector,
            String embedder,
            EvalImages.Progress progress)
            throws IOException {
        List<String> notes = new ArrayList<>();
        List<PairsFile.Pair> pairs = PairsFile.read(pairsFile, imageRoot, notes);
        Map<Path, EvalSample> embedded = new HashMap<>();
        Map<Path, Boolean> seen = new HashMap<>();
        List<Double> genuine = new ArrayList<>();
        List<Double> impostor = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            PairsFile.Pair p = pairs.get(i);
            EvalSample a = embed(images, p.a(), embedded, seen);
            EvalSample b = embed(images, p.b(), embedded, seen);
            if (a == null || b == null) {
                notes.add(
                        pairsFile.getFileName()
                                + " line "
                                + p.line()
                                + ": skipped, "
                                + (a == null ? p.a() : p.b())
                                + " is not usable (see failures)");
            } else {
                (p.same() ? genuine : impostor).add(Vectors.dot(a.embedding(), b.embedding()));
            }
            progress.update(i + 1, pairs.size(), p.b());
        }
        Roc roc = Roc.of(genuine, impostor);
        EvalReport.Recommendation rec = EvalMetrics.recommend(roc, targetFar, List.of(), 0f);
        if (!rec.confident()) {
            notes.add(EvalMetrics.confidenceNote(rec));
        }
        return new EvalReport(
                EvalReport.FORMAT_VERSION,
                "pairs",
                List.of(pairsFile.toString()),
                detector,
                embedder,
                new EvalReport.Settings(0, 0, 0, threshold, targetFar, 0, null),
                EvalReports.images(images.samples().size(), images.failures()),
                EvalReports.failureCounts(images.failures()),
                images.failures(),
                notes,
                null,
                EvalMetrics.verification(roc),
                null,
                rec,
                List.of(),
                List.of(),
                null);
    }

    private static EvalSample embed(
            EvalImages images, Path file, Map<Path, EvalSample> done, Map<Path, Boolean> seen) {
        if (seen.putIfAbsent(file, true) == null) {
            EvalSample s = images.add(file, null);
            if (s != null) {
                done.put(file, s);
            }
        }
        return done.get(file);
    }
}
