package io.facestream.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Helpers shared by the eval modes: failure counts, the report of a search mode, the JSON file. */
public final class EvalReports {
    private EvalReports() {}

    /** Failures per reason, every reason present (0 when none) so the JSON keys are stable. */
    public static Map<EvalFailure.Reason, Integer> failureCounts(List<EvalFailure> failures) {
        Map<EvalFailure.Reason, Integer> counts = new EnumMap<>(EvalFailure.Reason.class);
        for (EvalFailure.Reason r : EvalFailure.Reason.values()) {
            counts.put(r, 0);
        }
        failures.forEach(f -> counts.merge(f.reason(), 1, Integer::sum));
        return counts;
    }

    /** Images seen, usable and failed; empty folders are failures but not images. */
    public static EvalReport.Images images(int usable, List<EvalFailure> failures) {
        int failed =
                (int)
                        failures.stream()
                                .filter(f -> f.reason() != EvalFailure.Reason.EMPTY_FOLDER)
                                .count();
        return new EvalReport.Images(usable + failed, usable, failed);
    }

    /**
     * The report of a mode that searched probes in a gallery (gallery, split): the ROC of the pair
     * scores, the threshold recommended for {@code settings.targetFar()} (a note when it is not
     * confident, after {@code notes}), the open-set rates and the worst examples at {@code
     * settings.currentThreshold()}.
     */
    static EvalReport searched(
            String mode,
            List<String> inputs,
            String detector,
            String embedder,
            EvalReport.Settings settings,
            EvalImages images,
            List<String> notes,
            EvalReport.Split split,
            List<Probe> probes,
            List<Double> genuine,
            List<Double> impostor,
            List<DecisionRuleEval.RuleRates> decisionRules) {
        Roc roc = Roc.of(genuine, impostor);
        float margin = (float) settings.minIdentityMargin();
        EvalReport.Recommendation rec =
                EvalMetrics.recommend(roc, settings.targetFar(), probes, margin);
        List<String> allNotes = new ArrayList<>(notes);
        if (!rec.confident()) {
            allNotes.add(EvalMetrics.confidenceNote(rec));
        }
        double threshold = settings.currentThreshold();
        return new EvalReport(
                EvalReport.FORMAT_VERSION,
                mode,
                inputs,
                detector,
                embedder,
                settings,
                images(images.samples().size(), images.failures()),
                failureCounts(images.failures()),
                images.failures(),
                allNotes,
                split,
                EvalMetrics.verification(roc),
                EvalMetrics.openSet(probes, threshold, rec.threshold(), margin),
                rec,
                EvalMetrics.worstFalseRejects(probes, threshold, margin),
                EvalMetrics.closestFalseAccepts(probes, threshold, margin),
                decisionRules);
    }

    /** Writes the report as indented JSON (NaN rates as the string "NaN"). */
    public static void write(EvalReport report, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        mapper().writeValue(file.toFile(), report);
    }

    public static ObjectMapper mapper() {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }
}
