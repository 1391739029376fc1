package io.facestream.bench;

import io.facestream.flink.StageClock;
import io.facestream.flink.StageClock.Stage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A run's frame→record latency split by operator, from the notes the operators keep in {@link
 * StageClock} when the bench runs with {@code -D}{@value StageClock#PROPERTY}{@code =true}: per
 * step, its 50th, 90th and 99th percentile and maximum over the measured frames (each its own
 * percentile, so they need not add up), and the worst frames step by step with the detect-align
 * subtask that took them.
 *
 * <p>Steps: {@code source} (generated → detect-align took it: the source and the queue in front of
 * that subtask), {@code detect} (detect-align's own time), {@code to-tracker} (one network hop),
 * {@code tracker} (waiting there for an earlier frame, then tracking), {@code to-assembler}, {@code
 * assembler} (waiting for its matches or for an earlier frame, then deciding and drawing); for
 * frames with an embedded face also {@code to-embed}, {@code embed} (the batcher's wait and the
 * model) and {@code embed→match} (to the lookup, Redis, to the assembler).
 */
public final class StageSplit {
    private static final String[] STEPS = {
        "source",
        "detect",
        "to-tracker",
        "tracker",
        "to-assembler",
        "assembler",
        "total",
        "to-embed",
        "embed",
        "embed→match"
    };

    private StageSplit() {}

    /**
     * @param perFrame {@code camera#sequence} → {generated, last record emitted, ...}
     * @param measured the keys measured (after the warm-up share)
     */
    static String describe(Map<String, long[]> perFrame, List<String> measured, int worst) {
        List<List<Long>> steps = new ArrayList<>();
        for (int i = 0; i < STEPS.length; i++) {
            steps.add(new ArrayList<>());
        }
        List<long[]> rows = new ArrayList<>();
        for (String key : measured) {
            long[] f = perFrame.get(key);
            long[] t = StageClock.of(key);
            if (f == null || t == null || t[Stage.ASSEMBLER_OUT.ordinal()] == 0) {
                continue;
            }
            boolean embedded = t[Stage.EMBED_IN.ordinal()] != 0;
            long[] v = {
                at(t, Stage.DETECT_IN) - f[0],
                at(t, Stage.DETECT_OUT) - at(t, Stage.DETECT_IN),
                at(t, Stage.TRACKER_IN) - at(t, Stage.DETECT_OUT),
                at(t, Stage.TRACKER_OUT) - at(t, Stage.TRACKER_IN),
                at(t, Stage.ASSEMBLER_IN) - at(t, Stage.TRACKER_OUT),
                at(t, Stage.ASSEMBLER_OUT) - at(t, Stage.ASSEMBLER_IN),
                f[1] - f[0],
                embedded ? at(t, Stage.EMBED_IN) - at(t, Stage.TRACKER_OUT) : -1,
                embedded ? at(t, Stage.EMBED_OUT) - at(t, Stage.EMBED_IN) : -1,
                embedded ? at(t, Stage.LAST_MATCH) - at(t, Stage.EMBED_OUT) : -1,
            };
            for (int i = 0; i < v.length; i++) {
                if (v[i] >= 0) {
                    steps.get(i).add(v[i]);
                }
            }
            long[] row = Arrays.copyOf(v, v.length + 2);
            row[v.length] = Long.parseLong(key.substring(key.lastIndexOf('#') + 1));
            row[v.length + 1] = t[Stage.DETECT_SUBTASK.ordinal()];
            rows.add(row);
        }
        StringBuilder out = new StringBuilder();
        out.append(
                String.format(
                        Locale.ROOT,
                        "  latency by step over %d frames (ms): p50 p90 p99 max%n",
                        rows.size()));
        for (int i = 0; i < STEPS.length; i++) {
            long[] a = steps.get(i).stream().mapToLong(Long::longValue).sorted().toArray();
            if (a.length == 0) {
                continue;
            }
            out.append(
                    String.format(
                            Locale.ROOT,
                            "    %-13s %4d frames %5d %5d %5d %5d%n",
                            STEPS[i],
                            a.length,
                            a[(int) (0.5 * (a.length - 1))],
                            a[(int) (0.9 * (a.length - 1))],
                            a[Math.max(0, (int) Math.ceil(0.99 * a.length) - 1)],
                            a[a.length - 1]));
        }
        rows.sort((a, b) -> Long.compare(b[6], a[6]));
        out.append("  worst frames: sequence (detect subtask) total = ")
                .append(String.join(" + ", Arrays.copyOf(STEPS, 6)))
                .append(" [+ to-embed, embed, embed→match]\n");
        for (long[] r : rows.subList(0, Math.min(worst, rows.size()))) {
            out.append(
                    String.format(
                            Locale.ROOT,
                            "    %5d (%d) %5d = %d + %d + %d + %d + %d + %d%s%n",
                            r[10],
                            r[11],
                            r[6],
                            r[0],
                            r[1],
                            r[2],
                            r[3],
                            r[4],
                            r[5],
                            r[7] < 0
                                    ? ""
                                    : String.format(
                                            Locale.ROOT, " [%d, %d, %d]", r[7], r[8], r[9])));
        }
        return out.toString();
    }

    private static long at(long[] t, Stage s) {
        return t[s.ordinal()];
    }
}
