package io.facestream.flink;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The benchmark's per-operator latency split: when the system property {@value #PROPERTY} is true
 * (the pipeline bench runs the job on a MiniCluster in its own JVM), the operators note here when
 * each frame reached and left them; {@code bench pipeline} reads the notes after the run. Otherwise
 * every call returns at once (a constant, so the JIT removes it) and nothing is kept. Not state,
 * not checkpointed, never read by the job: a restored or distributed job records nothing useful,
 * and need not.
 */
public final class StageClock {
    /** The system property that turns the notes on. */
    public static final String PROPERTY = "facestream.bench.stages";

    private static final boolean ON = Boolean.getBoolean(PROPERTY);

    /** Where a frame was seen; the first time wins, except where said. */
    public enum Stage {
        DETECT_IN,
        DETECT_OUT,
        TRACKER_IN,
        TRACKER_OUT,
        ASSEMBLER_IN,
        /** The last of the frame's gallery matches to reach the assembler. */
        LAST_MATCH,
        ASSEMBLER_OUT,
        /** The last of the frame's crops to reach the embed batcher. */
        EMBED_IN,
        /** The last of the frame's embeddings to leave the embed batcher. */
        EMBED_OUT,
        /** Not a time: the detect-align subtask that took the frame. */
        DETECT_SUBTASK
    }

    private static final Map<String, long[]> TIMES = new ConcurrentHashMap<>();

    private StageClock() {}

    /** Whether notes are being kept. */
    public static boolean on() {
        return ON;
    }

    /** Notes the wall clock for {@code stage} of a frame. */
    public static void note(Stage stage, String camera, long sequence) {
        if (!ON) {
            return;
        }
        long now = System.currentTimeMillis();
        long[] t = times(camera, sequence);
        synchronized (t) {
            boolean last =
                    stage == Stage.LAST_MATCH
                            || stage == Stage.EMBED_IN
                            || stage == Stage.EMBED_OUT;
            if (last || t[stage.ordinal()] == 0) {
                t[stage.ordinal()] = now;
            }
        }
    }

    /** Notes the detect-align subtask that took a frame. */
    public static void noteSubtask(String camera, long sequence, int subtask) {
        if (!ON) {
            return;
        }
        long[] t = times(camera, sequence);
        synchronized (t) {
            t[Stage.DETECT_SUBTASK.ordinal()] = subtask;
        }
    }

    /** A frame's notes by stage ordinal (0: not seen), or null; key {@code camera#sequence}. */
    public static long[] of(String cameraAndSequence) {
        long[] t = TIMES.get(cameraAndSequence);
        if (t == null) {
            return null;
        }
        synchronized (t) {
            return t.clone();
        }
    }

    /** Forgets every note (between runs). */
    public static void clear() {
        TIMES.clear();
    }

    private static long[] times(String camera, long sequence) {
        return TIMES.computeIfAbsent(camera + "#" + sequence, k -> new long[Stage.values().length]);
    }
}
