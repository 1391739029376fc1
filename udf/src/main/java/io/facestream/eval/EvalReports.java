package io.facestream.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Helpers shared by the eval modes: failure counts and the JSON file. */
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
