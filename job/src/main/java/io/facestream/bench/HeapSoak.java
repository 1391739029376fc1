package io.facestream.bench;

import io.facestream.job.JobConfig;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.util.concurrent.ExecutorThreadFactory;

/**
 * {@code bench pipeline --soak}: the job at a fixed rate for a long time, the heap sampled after a
 * full GC every 15 s. The MiniCluster runs in this JVM, so its heap is the task manager's: a flat
 * series shows that no buffer or state grows with the stream.
 */
public final class HeapSoak {
    private static final long EVERY_SECONDS = 15;

    private HeapSoak() {}

    /** Runs the soak and returns its Markdown table. */
    public static String run(
            JobConfig cfg, Path framesFile, BenchInput in, double rate, Duration length)
            throws Exception {
        List<long[]> samples = new CopyOnWriteArrayList<>(); // seconds, heap MB
        long t0 = System.nanoTime();
        var memory = ManagementFactory.getMemoryMXBean();
        ScheduledExecutorService sampler =
                Executors.newSingleThreadScheduledExecutor(
                        new ExecutorThreadFactory("heap-sampler"));
        sampler.scheduleAtFixedRate(
                () -> {
                    // After a full GC only live objects count: what would leak.
                    System.gc();
                    samples.add(
                            new long[] {
                                (System.nanoTime() - t0) / 1_000_000_000L,
                                memory.getHeapMemoryUsage().getUsed() >> 20
                            });
                },
                EVERY_SECONDS,
                EVERY_SECONDS,
                TimeUnit.SECONDS);
        long n = Math.round(rate * length.toSeconds());
        JobBench.Result r;
        try {
            r = JobBench.run(cfg, framesFile, in, 1, n, rate);
        } finally {
            sampler.shutdownNow();
        }
        StringBuilder sb = new StringBuilder();
        sb.append(
                String.format(
                        Locale.ROOT,
                        "%nSoak: %d frames at %.1f fps (%s), %.1f fps out, p50 %.0f ms, p99 %.0f"
                                + " ms, %d dead letters. Heap used after a full GC (MB) every %d"
                                + " s:%n%n",
                        n,
                        rate,
                        length,
                        r.rate().fps(),
                        r.p50Ms(),
                        r.p99Ms(),
                        r.deadLetters(),
                        EVERY_SECONDS));
        sb.append("| s | heap MB |\n|---:|---:|\n");
        for (long[] s : samples) {
            sb.append("| ").append(s[0]).append(" | ").append(s[1]).append(" |\n");
        }
        return sb.toString();
    }
}
