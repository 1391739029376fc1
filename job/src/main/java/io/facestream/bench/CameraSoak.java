package io.facestream.bench;

import io.facestream.job.FaceRecognitionJob;
import io.facestream.job.FacestreamJob;
import io.facestream.job.JobConfig;
import io.facestream.job.LocalCluster;
import io.facestream.job.Sinks;
import io.facestream.job.SlotGroups;
import io.facestream.job.Sources;
import io.facestream.schema.DeadLetter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.concurrent.ExecutorThreadFactory;

/**
 * The job on live cameras for a long time, sampled: the job exactly as {@code run} wires it (video
 * source over {@code source.uris}, the configured track mode, checkpoints, progress metrics) on a
 * local MiniCluster in this JVM, plus one small stream of the processed frames' (camera, sequence,
 * capture time, end-of-job time) collected by the client. Every sample takes the heap after a full
 * GC, the latest checkpoint's full and tracker state size (REST API), the cameras' counters and
 * lags ({@link SoakMetrics}), the frame→record latency of the frames since the previous sample, and
 * how many frames went backwards in sequence or time within their camera (must stay 0, also across
 * the loops of a looping camera). After {@code length} the job is cancelled.
 */
public final class CameraSoak {
    private CameraSoak() {}

    /** Runs the soak; each sample also goes to {@code onSample} as it is taken. */
    public static List<SoakSample> run(
            JobConfig cfg, Duration length, Duration every, Consumer<SoakSample> onSample)
            throws Exception {
        int restPort;
        try (ServerSocket s = new ServerSocket(0)) {
            restPort = s.getLocalPort();
        }
        Configuration conf = new Configuration();
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, SlotGroups.slots(cfg));
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(RestOptions.PORT, restPort);
        conf.setString("metrics.reporter.soak.factory.class", SoakMetrics.Factory.class.getName());
        SoakMetrics.clear();
        StreamExecutionEnvironment env = LocalCluster.environment(conf, cfg.conf());
        FacestreamJob.configure(env, cfg);
        Sources.Input in = Sources.from(env, cfg);
        FaceRecognitionJob.Outputs out = FaceRecognitionJob.build(cfg, in.frames());
        var dead = in.deadLetters().union(out.deadLetters());
        Sinks.attach(cfg, out, dead);
        var done =
                out.annotated()
                        .map(
                                a ->
                                        a.getCameraId()
                                                + "\t"
                                                + a.getSequence()
                                                + "\t"
                                                + a.getTimestamp().toEpochMilli()
                                                + "\t"
                                                + System.currentTimeMillis(),
                                Types.STRING)
                        .name("soak-completion-time")
                        .setParallelism(1)
                        .collectAsync();
        var deadLetters = dead.collectAsync();

        Frames frames = new Frames();
        AtomicLong deadCount = new AtomicLong();
        long t0 = System.nanoTime();
        JobClient client = env.executeAsync("facestream-soak");
        String jobId = client.getJobID().toHexString();
        ExecutorService readers = Executors.newFixedThreadPool(2);
        readers.execute(() -> drain(done, frames::add));
        readers.execute(
                () ->
                        drain(
                                deadLetters,
                                (DeadLetter d) -> {
                                    deadCount.incrementAndGet();
                                    System.err.println("soak: dead letter " + d);
                                }));
        List<SoakSample> samples = new ArrayList<>();
        ScheduledExecutorService sampler =
                Executors.newSingleThreadScheduledExecutor(
                        new ExecutorThreadFactory("soak-sampler"));
        var memory = ManagementFactory.getMemoryMXBean();
        sampler.scheduleAtFixedRate(
                () -> {
                    try {
                        // After a full GC only live objects count: what would leak.
                        System.gc();
                        long heap = memory.getHeapMemoryUsage().getUsed() >> 20;
                        CheckpointStats cp = CheckpointStats.NONE;
                        try {
                            cp = CheckpointStats.read(restPort, jobId, "tracker");
                        } catch (IOException e) {
                            System.err.println("soak: checkpoint stats: " + e.getMessage());
                        }
                        double[] lat = frames.takeLatencies();
                        SoakSample s =
                                new SoakSample(
                                        (System.nanoTime() - t0) / 1_000_000_000L,
                                        heap,
                                        cp.operatorBytes(),
                                        cp.bytes(),
                                        Math.max(
                                                0,
                                                SoakMetrics.jobGauge(
                                                        "numberOfCompletedCheckpoints")),
                                        cameras(),
                                        lat.length,
                                        JobBench.percentile(lat, 0.5),
                                        JobBench.percentile(lat, 0.99),
                                        frames.outOfOrder());
                        synchronized (samples) {
                            samples.add(s);
                        }
                        onSample.accept(s);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (RuntimeException e) {
                        System.err.println("soak: sample failed: " + e);
                    }
                },
                every.toMillis(),
                every.toMillis(),
                TimeUnit.MILLISECONDS);
        try {
            // The job never ends by itself (live cameras); a failure ends it early.
            client.getJobExecutionResult().get(length.toMillis(), TimeUnit.MILLISECONDS);
            throw new IllegalStateException("the soak job ended before its time");
        } catch (java.util.concurrent.TimeoutException expected) {
            // the run's length is over
        } finally {
            sampler.shutdownNow();
            sampler.awaitTermination(1, TimeUnit.MINUTES);
            try {
                client.cancel().get(1, TimeUnit.MINUTES);
            } catch (java.util.concurrent.ExecutionException e) {
                // it had already ended (failed): that failure is the one thrown
            }
            readers.shutdownNow();
        }
        if (deadCount.get() > 0) {
            System.err.printf("soak: %d dead letters (see above)%n", deadCount.get());
        }
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    private static Map<String, SoakSample.Camera> cameras() {
        Map<String, SoakSample.Camera> m = new TreeMap<>();
        for (String c : SoakMetrics.cameras()) {
            m.put(
                    c,
                    new SoakSample.Camera(
                            SoakMetrics.count(c, "framesRead"),
                            SoakMetrics.count(c, "framesProcessed"),
                            SoakMetrics.count(c, "framesDropped"),
                            SoakMetrics.gauge(c, "lagMs"),
                            SoakMetrics.gauge(c, "outputLagMs")));
        }
        return m;
    }

    private static <T> void drain(Iterator<T> it, Consumer<T> sink) {
        try {
            it.forEachRemaining(sink);
        } catch (RuntimeException e) {
            // the job was cancelled at the end of the run
        }
    }

    /** The processed frames' latencies since the last sample, and order checks per camera. */
    private static final class Frames {
        private final Map<String, long[]> last = new HashMap<>(); // camera -> sequence, ts
        private double[] latencies = new double[1024];
        private int n;
        private long outOfOrder;

        synchronized void add(String line) {
            String[] f = line.split("\t");
            long seq = Long.parseLong(f[1]);
            long ts = Long.parseLong(f[2]);
            long[] prev = last.put(f[0], new long[] {seq, ts});
            if (prev != null && (seq <= prev[0] || ts < prev[1])) {
                outOfOrder++;
                System.err.printf(
                        "soak: %s went backwards: sequence %d at %d ms after %d at %d ms%n",
                        f[0], seq, ts, prev[0], prev[1]);
            }
            if (n == latencies.length) {
                latencies = Arrays.copyOf(latencies, 2 * n);
            }
            latencies[n++] = Long.parseLong(f[3]) - ts;
        }

        synchronized double[] takeLatencies() {
            double[] out = Arrays.copyOf(latencies, n);
            n = 0;
            Arrays.sort(out);
            return out;
        }

        synchronized long outOfOrder() {
            return outOfOrder;
        }
    }
}
