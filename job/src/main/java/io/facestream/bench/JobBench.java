package io.facestream.bench;

import io.facestream.job.FaceRecognitionJob;
import io.facestream.job.FacestreamJob;
import io.facestream.job.JobConfig;
import io.facestream.job.LocalCluster;
import io.facestream.schema.DeadLetter;
import io.facestream.schema.FaceIdentity;
import io.facestream.schema.Frame;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.rpc.RpcSystem;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.concurrent.ExecutorThreadFactory;

/**
 * The job itself on a local MiniCluster, from a source to its sinks: {@link FaceRecognitionJob}
 * exactly as configured (checkpoints, annotation and all), fed by a {@link DataGeneratorSource} of
 * the clip's JPEG frames (optionally paced as a camera, see {@link FrameGenerator}; one reader, so
 * each camera's frames leave the source in sequence order, as from a real camera), with identities,
 * annotated frames and dead letters collected by the client. Throughput is the steady rate of
 * completed frames (annotated frames, one per input frame, after the warm-up, see {@link Span}, so
 * start-up, model loading and the JIT's start-up compiling do not count); latency is, per frame
 * with faces, the latest identity's emit time minus the frame's generation time, over the same
 * frames.
 */
public final class JobBench {
    /**
     * Bench setting: {@code camera} (default) paces like a camera (see {@link FrameGenerator}),
     * {@code bursty} with Flink's {@link RateLimiterStrategy#perSecond}, frames stamped when made.
     */
    static final org.apache.flink.configuration.ConfigOption<String> PACING =
            org.apache.flink.configuration.ConfigOptions.key("bench.pacing")
                    .stringType()
                    .defaultValue("camera");

    /** System property: generate frames in clip order instead of the shuffled one. */
    public static final String CLIP_ORDER = "facestream.bench.clip-order";

    /**
     * System property: also read every thread's CPU time ({@link ThreadCpu}) during the run, into
     * {@link Result#threadCpu}.
     */
    public static final String THREAD_CPU = "facestream.bench.thread-cpu";

    /**
     * System property: print each paced run's frame age by stage, from the operators' own
     * histograms ({@link StageSplit}, {@link StageMetrics}).
     */
    public static final String STAGE_SPLIT = "facestream.bench.stages";

    /**
     * One run's figures. Latency is split where the frame entered detect-align ({@code
     * FaceIdentity.ingestTime}): {@code p99QueuedMs} before it (source, pacing, network queues in
     * front of a busy detector), {@code p99ProcessedMs} after it (detect, track, embed, lookup,
     * assemble); each is its own 99th percentile over frames, so they need not add up.
     */
    public record Result(
            Rate rate,
            long framesOut,
            long deadLetters,
            double p50Ms,
            double p99Ms,
            long faces,
            long embedded,
            double p99QueuedMs,
            double p99ProcessedMs,
            Map<String, Double> threadCpu) {

        /**
         * With {@link #THREAD_CPU}: CPU ms per completed frame by thread kind ({@link
         * ThreadCpu#kind}) over the steady part of the run (readings every 250 ms, from the one at
         * or before the frame the rate starts at to the one after the last frame); else empty.
         */
        public Map<String, Double> threadCpu() {
            return threadCpu;
        }

        /** Faces embedded and looked up per detected face (1 in every-frame mode). */
        public double embeddedPerFace() {
            return faces == 0 ? Double.NaN : embedded / (double) faces;
        }
    }

    private JobBench() {}

    /**
     * One Flink RPC system for all of this process's bench runs (see {@link
     * LocalCluster#environment(Configuration, Configuration, RpcSystem)}): loaded on first use,
     * closed at exit (which deletes the jar Flink extracted for it).
     */
    private static final class SharedRpc {
        static final RpcSystem RPC = RpcSystem.load();

        static {
            Runtime.getRuntime().addShutdownHook(new Thread(RPC::close, "bench-rpc-close"));
        }
    }

    /**
     * How many records a run generates: {@code warmUp} first, not measured, then {@code measured}.
     * For a few seconds after a job starts the JIT compiles the MiniCluster's and the job's
     * start-up paths on the same cores (about 10 CPU ms per frame on 2 cores during the first pass
     * over the clip, measured with {@code -XX:+PrintCompilation} and {@code bench pipeline
     * --thread-cpu}): a cost a long-running job pays once, not per frame. Rate, CPU and latency are
     * measured over the {@code measured} records only, the job already running at the measured
     * rate; with {@code warmUp} 0, over all but the first 10 %.
     */
    public record Span(long warmUp, long measured) {
        /** All records generated. */
        public long total() {
            return warmUp + measured;
        }

        /** The same span for {@code cameras} interleaved cameras. */
        public Span times(int cameras) {
            return new Span(warmUp * cameras, measured * cameras);
        }
    }

    /**
     * @param span records to generate ({@code cameras} cameras interleaved) and how many of them
     *     are warm-up
     * @param ratePerSecond total input rate, or 0 for as fast as the job takes them
     */
    public static Result run(
            JobConfig cfg,
            Path framesFile,
            BenchInput in,
            int cameras,
            Span span,
            double ratePerSecond)
            throws Exception {
        long frames = span.total();
        long warmUp = span.warmUp();
        int p = cfg.get(io.facestream.job.FacestreamOptions.PARALLELISM);
        // Flink's own keys given with --set (network buffers, say) reach the MiniCluster too.
        Configuration conf = new Configuration(cfg.conf());
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, 3 * p + 1);
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        boolean stageSplit = Boolean.getBoolean(STAGE_SPLIT) && ratePerSecond > 0;
        if (stageSplit) {
            StageMetrics.configure(conf);
        }
        StreamExecutionEnvironment env = LocalCluster.environment(conf, cfg.conf(), SharedRpc.RPC);
        FacestreamJob.configure(env, cfg);

        // --set bench.pacing=bursty: Flink's own rate limiter, the bench's pacing before (for A/B).
        boolean bursty = "bursty".equals(cfg.conf().get(PACING));
        DataGeneratorSource<Frame> source =
                new DataGeneratorSource<>(
                        new FrameGenerator(
                                framesFile,
                                cameras,
                                in.width(),
                                in.height(),
                                // bench pipeline --clip-order (the tracker's view of a video)
                                Boolean.getBoolean(CLIP_ORDER),
                                bursty ? 0 : ratePerSecond),
                        frames,
                        ratePerSecond > 0 && bursty
                                ? RateLimiterStrategy.perSecond(ratePerSecond)
                                : RateLimiterStrategy.noOp(),
                        new AvroTypeInfo<>(Frame.class));
        DataStream<Frame> input =
                env.fromSource(
                                source,
                                WatermarkStrategy.<Frame>forBoundedOutOfOrderness(
                                                Duration.ofMillis(200))
                                        .withTimestampAssigner(
                                                (f, ts) -> f.getTimestamp().toEpochMilli()),
                                "bench-frames")
                        .uid("bench-frames")
                        // One reader, like a camera (one split read in order): with several, the
                        // generator hands each a far-apart range of one camera's sequences, and the
                        // tracker holds frames waiting for order that no real source would send.
                        // Detection still runs in parallel (the frames are rebalanced to it), so a
                        // camera's frames reach the tracker only as out of order as parallel
                        // detection makes them.
                        .setParallelism(1);
        FaceRecognitionJob.Outputs out = FaceRecognitionJob.build(cfg, input);
        var ids = out.identities().collectAsync();
        var done =
                out.annotated()
                        .map(
                                a -> {
                                    if (stageSplit) {
                                        StageMetrics.completed();
                                    }
                                    return new long[] {
                                        a.getTimestamp().toEpochMilli(), System.currentTimeMillis()
                                    };
                                },
                                PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO)
                        .name("completion-time")
                        .collectAsync();
        var dead = out.deadLetters().collectAsync();

        // key -> {frame ts, latest emit, detect-align ingest}
        Map<String, long[]> perFrame = new HashMap<>();
        List<Long> completions = new ArrayList<>();
        // This JVM's CPU time every 100 ms (wall ms -> CPU ns): the cores the job kept busy.
        java.util.concurrent.ConcurrentSkipListMap<Long, Long> cpu =
                new java.util.concurrent.ConcurrentSkipListMap<>();
        var sampler =
                Executors.newSingleThreadScheduledExecutor(
                        new ExecutorThreadFactory("cpu-sampler"));
        boolean diagnose = Boolean.getBoolean("facestream.bench.threads");
        boolean perThread = Boolean.getBoolean(THREAD_CPU);
        java.util.concurrent.ConcurrentSkipListMap<Long, ThreadCpu.Snapshot> readings =
                new java.util.concurrent.ConcurrentSkipListMap<>();
        if (perThread) {
            // 250 ms: each reading costs a file read per thread (~150 threads)
            sampler.scheduleAtFixedRate(
                    () -> readings.put(System.currentTimeMillis(), ThreadCpu.take()),
                    0,
                    250,
                    java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        Map<String, Long> lastThreadCpu = new java.util.concurrent.ConcurrentHashMap<>();
        sampler.scheduleAtFixedRate(
                () -> {
                    cpu.put(System.currentTimeMillis(), Rate.cpuNanos());
                    if (diagnose) {
                        lastThreadCpu.putAll(threadCpu());
                    }
                },
                0,
                100,
                java.util.concurrent.TimeUnit.MILLISECONDS);
        AtomicLong faces = new AtomicLong();
        AtomicLong embedded = new AtomicLong();
        AtomicLong deadLetters = new AtomicLong();
        Map<String, Long> threadCpu0 = threadCpu();
        long proc0 = Rate.cpuNanos();
        // the stages' ages count from when the warm-up's last frame completed
        StageMetrics.clear(warmUp > 0 ? warmUp : frames / 10);
        var client = env.executeAsync("facestream-bench");
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            CompletableFuture.allOf(
                            drain(
                                    pool,
                                    ids,
                                    (FaceIdentity r) -> {
                                        faces.incrementAndGet();
                                        if (!r.getCandidates().isEmpty()) {
                                            // candidates are only set on a face looked up in
                                            // this very frame
                                            embedded.incrementAndGet();
                                        }
                                        synchronized (perFrame) {
                                            long[] v =
                                                    perFrame.computeIfAbsent(
                                                            r.getCameraId()
                                                                    + "#"
                                                                    + r.getFrameSequence(),
                                                            k ->
                                                                    new long[] {
                                                                        r.getTimestamp()
                                                                                .toEpochMilli(),
                                                                        0,
                                                                        r.getIngestTime()
                                                                                .toEpochMilli()
                                                                    });
                                            v[1] = Math.max(v[1], r.getEmitTime().toEpochMilli());
                                        }
                                    }),
                            drain(
                                    pool,
                                    done,
                                    (long[] t) -> {
                                        synchronized (completions) {
                                            completions.add(t[1]);
                                        }
                                    }),
                            drain(pool, dead, (DeadLetter d) -> deadLetters.incrementAndGet()))
                    .get();
            client.getJobExecutionResult().get();
        } finally {
            pool.shutdownNow();
            sampler.shutdownNow();
        }
        if (diagnose) {
            lastThreadCpu.putAll(threadCpu());
            printThreadCpu(threadCpu0, lastThreadCpu, Rate.cpuNanos() - proc0, completions.size());
        }
        long[] t = completions.stream().mapToLong(Long::longValue).sorted().toArray();
        if (t.length < 10) {
            throw new IllegalStateException("only " + t.length + " frames came out of the job");
        }
        int k = skipped(t.length, warmUp);
        double seconds = (t[t.length - 1] - t[k]) / 1000.0;
        long steadyFrames = t.length - 1 - k;
        double facesPerFrame = faces.get() / (double) t.length;
        var from = cpu.floorEntry(t[k]);
        var to = cpu.ceilingEntry(t[t.length - 1]);
        if (to == null) {
            to = cpu.lastEntry();
        }
        double cores =
                from == null || to == null
                        ? Double.NaN
                        : (to.getValue() - from.getValue())
                                / 1e6
                                / Math.max(1, to.getKey() - from.getKey());
        Rate rate =
                new Rate(steadyFrames, Math.round(steadyFrames * facesPerFrame), seconds, cores);
        Map<String, Double> byKind = Map.of();
        if (perThread && !readings.isEmpty()) {
            Long a = readings.floorKey(t[k]);
            Long b = readings.ceilingKey(t[t.length - 1]);
            a = a == null ? readings.firstKey() : a;
            b = b == null ? readings.lastKey() : b;
            long fa = a, fb = b;
            long n = Arrays.stream(t).filter(x -> x > fa && x <= fb).count();
            byKind = new java.util.TreeMap<>();
            for (var e : ThreadCpu.between(readings, a, b).entrySet()) {
                byKind.put(e.getKey(), e.getValue() / Math.max(1, n));
            }
        }

        long[][] frameTimes = perFrame.values().toArray(long[][]::new);
        Arrays.sort(frameTimes, (a, b) -> Long.compare(a[0], b[0]));
        // frames with faces only: the same share of them as of all frames
        int skip = (int) Math.min(frameTimes.length - 1L, (long) frameTimes.length * k / t.length);
        double[] lat = new double[frameTimes.length - skip];
        double[] queued = new double[lat.length];
        double[] processed = new double[lat.length];
        for (int i = skip; i < frameTimes.length; i++) {
            lat[i - skip] = frameTimes[i][1] - frameTimes[i][0];
            queued[i - skip] = frameTimes[i][2] - frameTimes[i][0];
            processed[i - skip] = frameTimes[i][1] - frameTimes[i][2];
        }
        Arrays.sort(queued);
        Arrays.sort(processed);
        if (diagnose && lat.length > 0) {
            long first = frameTimes[0][0];
            StringBuilder worst = new StringBuilder("  latency by second of the run (max ms):");
            java.util.TreeMap<Long, Long> bySecond = new java.util.TreeMap<>();
            for (long[] f : frameTimes) {
                bySecond.merge((f[0] - first) / 1000, f[1] - f[0], Math::max);
            }
            bySecond.forEach((sec, ms) -> worst.append(' ').append(sec).append(':').append(ms));
            System.err.println(worst);
        }
        if (stageSplit) {
            System.err.printf(java.util.Locale.ROOT, "  paced at %.1f fps:%n", ratePerSecond);
            System.err.print(StageSplit.describe(StageMetrics.agesSinceMark()));
        }
        Arrays.sort(lat);
        return new Result(
                rate,
                t.length,
                deadLetters.get(),
                percentile(lat, 0.5),
                percentile(lat, 0.99),
                faces.get(),
                embedded.get(),
                percentile(queued, 0.99),
                percentile(processed, 0.99),
                byKind);
    }

    /** CPU nanoseconds per live thread, keyed by name with subtask numbers folded. */
    private static Map<String, Long> threadCpu() {
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        Map<String, Long> out = new HashMap<>();
        for (long id : mx.getAllThreadIds()) {
            var info = mx.getThreadInfo(id);
            long cpu = mx.getThreadCpuTime(id);
            if (info != null && cpu > 0) {
                out.put(id + "|" + info.getThreadName(), cpu);
            }
        }
        return out;
    }

    /** Diagnostics: where this JVM's CPU went during a run, per frame, by thread group. */
    private static void printThreadCpu(
            Map<String, Long> before, Map<String, Long> after, long processNanos, int frames) {
        Map<String, Long> groups = new java.util.TreeMap<>();
        long javaThreads = 0;
        for (var e : after.entrySet()) {
            long d = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            String name = e.getKey().substring(e.getKey().indexOf('|') + 1);
            name = name.replaceAll("\\(\\d+/\\d+\\)#\\d+", "").replaceAll("\\d+", "#");
            groups.merge(name.length() > 60 ? name.substring(0, 60) : name, d, Long::sum);
            javaThreads += d;
        }
        groups.put("(not Java threads: GC, JIT, native)", processNanos - javaThreads);
        groups.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                .limit(15)
                .forEach(
                        e ->
                                System.err.printf(
                                        java.util.Locale.ROOT,
                                        "  %6.2f CPU ms/frame  %s%n",
                                        e.getValue() / 1e6 / Math.max(1, frames),
                                        e.getKey()));
    }

    /** Completions left out of the measurement: the warm-up's, or else the first 10 %. */
    static int skipped(int completed, long warmUp) {
        long skip = warmUp > 0 ? warmUp : completed / 10;
        return (int) Math.min(skip, completed - 10L);
    }

    static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static <T> CompletableFuture<Void> drain(
            ExecutorService pool, Iterator<T> it, Consumer<T> sink) {
        return CompletableFuture.runAsync(() -> it.forEachRemaining(sink), pool);
    }
}
