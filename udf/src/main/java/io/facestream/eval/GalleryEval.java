package io.facestream.eval;

import io.facestream.gallery.FaceGallery;
import io.facestream.gallery.Match;
import io.facestream.gallery.MatchDecision;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Evaluation of a gallery already in Redis with a labelled probe folder: probe people the gallery
 * does not know are the strangers. Every probe is searched the way {@code identify} searches it;
 * for the verification figures it is scored against every gallery entry (up to {@link
 * #MAX_ENTRIES}, the most similar ones, noted when the gallery is larger).
 */
public final class GalleryEval {
    public static final int MAX_ENTRIES = 5000;

    private GalleryEval() {}

    public static EvalReport run(
            EvalImages images,
            FaceGallery gallery,
            String embedderModel,
            int topK,
            double threshold,
            double targetFar,
            double minIdentityMargin,
            MatchDecision decision,
            List<String> inputs,
            String detector,
            String embedder) {
        Set<String> known = gallery.identities().keySet();
        long entries = gallery.count();
        int k = (int) Math.min(entries, MAX_ENTRIES);
        List<String> notes = new ArrayList<>();
        if (entries > MAX_ENTRIES) {
            notes.add(
                    "gallery has "
                            + entries
                            + " entries: pairs scored against the "
                            + MAX_ENTRIES
                            + " most similar of each probe");
        }
        List<Probe> probes = new ArrayList<>();
        List<Double> genuine = new ArrayList<>();
        List<Double> impostor = new ArrayList<>();
        var byIdentity = images.byIdentity();
        List<String> strangers = new ArrayList<>();
        int enrolledProbes = 0;
        for (var e : byIdentity.entrySet()) {
            boolean enrolled = known.contains(e.getKey());
            if (!enrolled) {
                strangers.add(e.getKey());
            }
            for (EvalSample s : e.getValue()) {
                enrolledProbes += enrolled ? 1 : 0;
                probes.add(
                        new Probe(
                                s.file().toString(),
                                s.identity(),
                                enrolled,
                                decision.search(
                                        gallery, embedderModel, s.embedding(), topK, null)));
                for (Match m : gallery.search(embedderModel, s.embedding(), k)) {
                    (m.identity().equals(s.identity()) ? genuine : impostor)
                            .add((double) m.similarity());
                }
            }
        }
        return EvalReports.searched(
                "gallery",
                inputs,
                detector,
                embedder,
                new EvalReport.Settings(
                        0,
                        0,
                        topK,
                        threshold,
                        targetFar,
                        minIdentityMargin,
                        decision.configValue()),
                images,
                notes,
                new EvalReport.Split(
                        byIdentity.size(),
                        known.size(),
                        strangers,
                        (int) entries,
                        enrolledProbes,
                        probes.size() - enrolledProbes),
                probes,
                genuine,
                impostor,
                null);
    }
}
