package io.facestream.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * CPU time of every thread of this process, Java or not (GC, JIT compilers, ONNX Runtime's and
 * other native threads), read from {@code /proc/self/task/<tid>/stat}: the thread's name as the
 * kernel knows it (Java names cut to 15 characters) and its user + system time. A {@link Snapshot}
 * is one reading; {@link #between} is what each kind of thread ({@link #kind}) spent between two
 * readings, counting a thread that ended in between up to its last reading. Linux only: elsewhere a
 * snapshot is empty.
 */
public final class ThreadCpu {
    /** The kernel's clock for {@code /proc} times (USER_HZ, 100 on every Linux the JVM runs on). */
    static final double MS_PER_TICK = 10.0;

    private ThreadCpu() {}

    /** One thread's name and CPU clock ticks (user + system) at one reading. */
    public record Task(String name, long ticks) {}

    /** A reading of every thread, keyed by thread id, with the process's CPU time then. */
    public record Snapshot(Map<Integer, Task> threads, long processNanos) {}

    /** Reads every thread of this process now. */
    public static Snapshot take() {
        Map<Integer, Task> out = new HashMap<>();
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return new Snapshot(out, Rate.cpuNanos());
        }
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(tasks)) {
            for (Path t : dir) {
                try {
                    Task th = parseStat(Files.readString(t.resolve("stat")));
                    out.put(Integer.parseInt(t.getFileName().toString()), th);
                } catch (IOException | RuntimeException e) {
                    // the thread ended while listed
                }
            }
        } catch (IOException e) {
            // no /proc: an empty reading
        }
        return new Snapshot(out, Rate.cpuNanos());
    }

    /**
     * Parses a {@code stat} line: {@code tid (name) state ...}, utime and stime the 14th and 15th
     * fields. The name may hold spaces and parentheses, so it ends at the last ')'.
     */
    static Task parseStat(String stat) {
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        String name = stat.substring(open + 1, close);
        String[] f = stat.substring(close + 2).trim().split(" ");
        // f[0] is field 3 (state): utime is field 14, stime field 15
        return new Task(name, Long.parseLong(f[11]) + Long.parseLong(f[12]));
    }

    /**
     * CPU milliseconds per thread kind between {@code from} and {@code to}, from readings taken at
     * those times and in between ({@code readings}, keyed by any increasing clock): a thread is
     * counted from its value at {@code from} (0 if it started later) to its last value at or before
     * {@code to}, so a thread that ended in between keeps what it had spent until its last reading.
     */
    public static Map<String, Double> between(
            NavigableMap<Long, Snapshot> readings, long from, long to) {
        Map<Integer, Task> start = readings.get(from).threads();
        Map<Integer, Task> last = new HashMap<>();
        for (Snapshot s : readings.subMap(from, true, to, true).values()) {
            last.putAll(s.threads());
        }
        Map<String, Double> out = new TreeMap<>();
        for (var e : last.entrySet()) {
            Task before = start.get(e.getKey());
            // a thread id reused by a new thread (another name) starts from 0
            long t0 =
                    before != null && before.name().equals(e.getValue().name())
                            ? before.ticks()
                            : 0;
            long d = e.getValue().ticks() - t0;
            if (d > 0) {
                out.merge(kind(e.getValue().name()), d * MS_PER_TICK, Double::sum);
            }
        }
        double threads = out.values().stream().mapToDouble(Double::doubleValue).sum();
        double process =
                (readings.get(to).processNanos() - readings.get(from).processNanos()) / 1e6;
        // threads born and gone between two readings, and the 10 ms rounding of each thread
        out.put(UNSEEN, process - threads);
        return out;
    }

    /** {@link #between} two readings only (threads that end in between are not counted). */
    public static Map<String, Double> between(Snapshot from, Snapshot to) {
        NavigableMap<Long, Snapshot> m = new TreeMap<>();
        m.put(0L, from);
        m.put(1L, to);
        return between(m, 0, 1);
    }

    /** The process's CPU time that no reading of a thread accounts for. */
    public static final String UNSEEN = "(not in any reading: short-lived threads, rounding)";

    /** The kinds in the order a table lists them. */
    static final Map<String, String> KINDS = kinds();

    private static Map<String, String> kinds() {
        // name prefix (as the kernel shows it, at most 15 characters) -> kind
        Map<String, String> k = new LinkedHashMap<>();
        k.put("Source: bench-f", "Flink task: source (the bench's frame generator)");
        k.put("detect-align", "Flink task: detect-align");
        k.put("tracker", "Flink task: tracker");
        k.put("embed-batcher", "Flink task: embed-batcher -> gallery-lookup");
        k.put("track-assembler", "Flink task: track-assembler (+ timestamps, bench sinks)");
        k.put("completion-time", "Flink task: bench collect sinks");
        k.put("Sink: ", "Flink task: bench collect sinks");
        k.put("identity-timest", "Flink task: bench collect sinks");
        k.put("annotated-times", "Flink task: bench collect sinks");
        k.put("bound-", "bound workers (detect + embed)");
        k.put("GC Thread", "JVM: GC");
        k.put("G1 ", "JVM: GC");
        k.put("C2 CompilerThre", "JVM: JIT compilers");
        k.put("C1 CompilerThre", "JVM: JIT compilers");
        k.put("VM ", "JVM: VM thread, periodic tasks");
        k.put("OutputFlusher", "Flink: output flushers");
        k.put("flink-", "Flink: RPC, scheduler, other runtime");
        k.put("pekko", "Flink: RPC, scheduler, other runtime");
        k.put("AsyncOperations", "Flink: RPC, scheduler, other runtime");
        k.put("Flink", "Flink: RPC, scheduler, other runtime");
        k.put("jedis", "gallery client (Redis)");
        k.put("gallery", "gallery client (Redis)");
        k.put("cpu-sampler", "bench: CPU sampler");
        k.put("pool-", "bench: result collectors");
        k.put("main", "bench: main thread (client polling the collect sinks)");
        return k;
    }

    /** The kind of a thread, from its kernel name; "other: name" when it is not one of those. */
    public static String kind(String name) {
        for (var e : KINDS.entrySet()) {
            if (name.startsWith(e.getKey())) {
                return e.getValue();
            }
        }
        return "other: " + name.replaceAll("\\d+", "#");
    }
}
