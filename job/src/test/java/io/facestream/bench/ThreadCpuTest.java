package io.facestream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Per-thread CPU from /proc: parsing, kinds, threads that end or reuse an id, the table's sums. */
class ThreadCpuTest {
    @Test
    void parsesStatWithSpacesAndParenthesesInTheName() {
        // utime 1200, stime 34 (fields 14 and 15)
        String stat =
                "4242 (Source: bench-f) S 1 4200 4200 0 -1 4194368 900 0 0 0 1200 34 0 0 20 0 90"
                        + " 0 1000 0 0";
        assertThat(ThreadCpu.parseStat(stat))
                .isEqualTo(new ThreadCpu.Task("Source: bench-f", 1234));
        ThreadCpu.Task odd =
                ThreadCpu.parseStat("7 (a) b (c) R 1 1 1 0 -1 0 0 0 0 0 5 6 0 0 20 0 1 0 1 0 0");
        assertThat(odd).isEqualTo(new ThreadCpu.Task("a) b (c", 11));
    }

    @Test
    void readsThisProcessIncludingTheJvmsOwnThreads() {
        ThreadCpu.Snapshot s = ThreadCpu.take();
        assertThat(s.threads().values())
                .extracting(ThreadCpu.Task::name)
                .anyMatch(n -> n.startsWith("GC Thread") || n.startsWith("G1 "))
                .anyMatch(n -> n.startsWith("C2 CompilerThre"));
        assertThat(s.processNanos()).isPositive();
    }

    @Test
    void kindsFollowTheKernelsCutNames() {
        assertThat(ThreadCpu.kind("embed-batcher -")).contains("embed-batcher");
        assertThat(ThreadCpu.kind("detect-align (2")).contains("detect-align");
        assertThat(ThreadCpu.kind("GC Thread#1")).isEqualTo("JVM: GC");
        assertThat(ThreadCpu.kind("G1 Conc#0")).isEqualTo("JVM: GC");
        assertThat(ThreadCpu.kind("C1 CompilerThre")).isEqualTo("JVM: JIT compilers");
        assertThat(ThreadCpu.kind("OutputFlusher f")).isEqualTo("Flink: output flushers");
        assertThat(ThreadCpu.kind("Weird 12 thing")).isEqualTo("other: Weird # thing");
    }

    @Test
    void countsAnEndedThreadToItsLastReadingAndAReusedIdFromZero() {
        NavigableMap<Long, ThreadCpu.Snapshot> r = new TreeMap<>();
        r.put(
                0L,
                snap(
                        0,
                        Map.of(
                                1, new ThreadCpu.Task("GC Thread#0", 10),
                                2, new ThreadCpu.Task("tracker (1/4)#0", 100))));
        // thread 2 ends after this reading; thread 3 starts
        r.put(
                1L,
                snap(
                        2_000_000_000L,
                        Map.of(
                                1, new ThreadCpu.Task("GC Thread#0", 20),
                                2, new ThreadCpu.Task("tracker (1/4)#0", 150),
                                3, new ThreadCpu.Task("C2 CompilerThre", 30))));
        // id 2 reused by another thread
        r.put(
                2L,
                snap(
                        3_000_000_000L,
                        Map.of(
                                1, new ThreadCpu.Task("GC Thread#0", 25),
                                2, new ThreadCpu.Task("pool-3-thread-1", 4),
                                3, new ThreadCpu.Task("C2 CompilerThre", 40))));
        Map<String, Double> ms = ThreadCpu.between(r, 0, 2);
        assertThat(ms.get("JVM: GC")).isEqualTo(150.0);
        assertThat(ms.get("JVM: JIT compilers")).isEqualTo(400.0);
        assertThat(ms.get("bench: result collectors")).isEqualTo(40.0);
        // the tracker's 500 ms are lost with its id's reuse: what the process spent and no
        // reading of a thread accounts for shows as the unseen row
        assertThat(ms.get(ThreadCpu.UNSEEN)).isCloseTo(3000.0 - 590.0, within(1e-6));
    }

    @Test
    void mediansTotalsAndTable() {
        Map<String, Double> a = Map.of("JVM: GC", 1.0, ComputeBound.LEFT_OUT_DECODE, 5.0);
        Map<String, Double> b = Map.of("JVM: GC", 3.0, "JVM: JIT compilers", 2.0);
        Map<String, Double> m = CpuBreakdown.medians(List.of(a, b));
        assertThat(m).containsEntry("JVM: GC", 2.0).containsEntry("JVM: JIT compilers", 1.0);
        assertThat(CpuBreakdown.total(a)).isEqualTo(1.0);

        Rate r = new Rate(100, 200, 10, 1);
        String md =
                CpuBreakdown.markdown(List.of(new CpuBreakdown.Run(r, a, r, b, r, b)), "t", "x=y");
        assertThat(md)
                .contains("| thread kind | bound CPU ms/frame | job CPU ms/frame | job, x=y |")
                .contains("| JVM: GC | 1.00 | 3.00 | 3.00 |")
                .contains("| bound + the work it leaves out | 6.0 | | |");
    }

    private static ThreadCpu.Snapshot snap(long processNanos, Map<Integer, ThreadCpu.Task> t) {
        return new ThreadCpu.Snapshot(t, processNanos);
    }
}
