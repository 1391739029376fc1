package io.facestream.eval;

import io.facestream.embed.Vectors;
import io.facestream.gallery.FaceGallery;
import io.facestream.gallery.GalleryEntry;
import io.facestream.gallery.Match;
import io.facestream.gallery.MatchDecision;
import java.util.ArrayList;
import java.util.List;

/**
 * Evaluation of one labelled set split into a gallery and probes: enrols the gallery part into a
 * (scratch) gallery the way {@code enroll} does, searches every probe the way {@code identify}
 * does, and scores every probe against every gallery entry for the verification figures.
 */
public final class SplitEval {
    /**
     * @param enrolPerPerson photos enrolled per person
     * @param strangers people held out by name; empty: {@code strangerCount} drawn at random
     * @param strangerCount people held out when none are named; negative: a fifth of the people (at
     *     least one)
     * @param seed seeds the split
     * @param topK gallery entries considered per probe
     * @param threshold the current {@code minSimilarity}
     * @param targetFar the false-accept rate to recommend a threshold for
     * @param minIdentityMargin the margin rule in force (0: off)
     * @param decision what each probe is compared with: identity templates or the top-k entries
     */
    public record Options(
            int enrolPerPerson,
            List<String> strangers,
            int strangerCount,
            long seed,
            int topK,
            double threshold,
            double targetFar,
            double minIdentityMargin,
            MatchDecision decision) {}

    private SplitEval() {}

    /**
     * @param images the embedded labelled set (its failures go into the report)
     * @param gallery an empty gallery to enrol into; the caller drops it afterwards
     * @param embedderModel the embedder's vector space
     */
    public static EvalReport run(
            EvalImages images,
            FaceGallery gallery,
            String embedderModel,
            Options o,
            List<String> inputs,
            String detector,
            String embedder) {
        var byIdentity = images.byIdentity();
        int strangers =
                o.strangerCount() >= 0
                        ? o.strangerCount()
                        : byIdentity.size() < 2
                                ? 0
                                : Math.max(1, Math.round(byIdentity.size() / 5f));
        EvalSplit<EvalSample> split =
                EvalSplit.of(byIdentity, o.enrolPerPerson(), o.strangers(), strangers, o.seed());

        List<EvalSample> enrolled = new ArrayList<>();
        split.gallery().values().forEach(enrolled::addAll);
        List<GalleryEntry> entries = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (EvalSample s : enrolled) {
            entries.add(
                    new GalleryEntry(
                            s.entryId(),
                            s.identity(),
                            embedderModel,
                            s.embedding().length,
                            s.file().getFileName().toString(),
                            now,
                            s.embedding()));
        }
        if (!entries.isEmpty()) {
            gallery.add(entries);
        }

        List<Probe> probes = new ArrayList<>();
        List<Probe> entryProbes = new ArrayList<>();
        List<Double> genuine = new ArrayList<>();
        List<Double> impostor = new ArrayList<>();
        List<float[]> probeEmbeddings = new ArrayList<>();
        List<EvalSplit.Labelled<EvalSample>> all = new ArrayList<>(split.probes());
        all.addAll(split.strangerProbes());
        for (EvalSplit.Labelled<EvalSample> l : all) {
            EvalSample p = l.sample();
            // The decision rules compare scorings of the entries' top-k, whatever is decided on.
            List<Match> nearest = gallery.search(embedderModel, p.embedding(), o.topK());
            List<Match> topK =
                    o.decision() == MatchDecision.TOP_K
                            ? nearest
                            : o.decision()
                                    .search(gallery, embedderModel, p.embedding(), o.topK(), null);
            boolean isEnrolled = split.gallery().containsKey(l.identity());
            probes.add(new Probe(p.file().toString(), l.identity(), isEnrolled, topK));
            entryProbes.add(new Probe(p.file().toString(), l.identity(), isEnrolled, nearest));
            probeEmbeddings.add(p.embedding());
            for (EvalSample g : enrolled) {
                double sim = Vectors.dot(p.embedding(), g.embedding());
                (g.identity().equals(p.identity()) ? genuine : impostor).add(sim);
            }
        }

        return EvalReports.searched(
                "split",
                inputs,
                detector,
                embedder,
                new EvalReport.Settings(
                        o.enrolPerPerson(),
                        o.seed(),
                        o.topK(),
                        o.threshold(),
                        o.targetFar(),
                        o.minIdentityMargin(),
                        o.decision().configValue()),
                images,
                split.notes(),
                new EvalReport.Split(
                        byIdentity.size(),
                        split.gallery().size(),
                        split.strangers(),
                        enrolled.size(),
                        split.probes().size(),
                        split.strangerProbes().size()),
                probes,
                genuine,
                impostor,
                split.gallery().isEmpty()
                        ? null
                        : DecisionRuleEval.compare(
                                split.gallery(), entryProbes, probeEmbeddings, o.threshold()));
    }
}
