package io.facestream.cli;

import io.facestream.flink.source.VideoSource;
import io.facestream.flink.source.VideoSourceOptions;
import io.facestream.job.FacestreamOptions;
import io.facestream.job.JobConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * How a local run of a live job ends. SIGINT (Ctrl-C) or SIGTERM ({@code docker stop}, {@code
 * systemctl stop}) stops the job with a drain — Flink's stop-with-savepoint advancing to the end of
 * event time: the sources end, pending work completes, every sink flushes and closes its files
 * (whole JSON lines, a finished MP4, closed Avro files) — and the run exits 0. A second signal
 * exits at once (130). Without a signal a live job only ends when every live source gave up ({@code
 * source.max-reconnects}): that run exits {@link #GAVE_UP_EXIT_CODE} (default 3), so a supervisor
 * that restarts failed services restarts it. Also adds the console status ({@link
 * LiveStatusReporter}) to live and paced runs.
 */
final class LiveRun {
    static final ConfigOption<Integer> GAVE_UP_EXIT_CODE =
            ConfigOptions.key("run.sources-gave-up-exit-code")
                    .intType()
                    .defaultValue(3)
                    .withDescription(
                            "Exit code of a local run whose live sources all gave up; 0 treats"
                                    + " that as success.");
    static final ConfigOption<Duration> STATUS_INTERVAL =
            ConfigOptions.key("console.status-interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(5))
                    .withDescription(
                            "How often a live run prints one status line per camera; 0 = never.");

    /** How long a drain may take before the job is cancelled instead. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private LiveRun() {}

    /** Whether the job reads live cameras (or files paced like them) and never ends by itself. */
    static boolean live(JobConfig cfg) {
        if (cfg.kafka()) {
            return true;
        }
        var uris = cfg.conf().getOptional(FacestreamOptions.SOURCE_URIS);
        if (uris.isEmpty() || uris.get().isEmpty()) {
            return false; // the job itself says what is missing
        }
        VideoSourceOptions options = VideoSourceOptions.fromConfig(cfg.conf());
        return VideoSource.fromUris(uris.get(), options).getBoundedness()
                == Boundedness.CONTINUOUS_UNBOUNDED;
    }

    /** Adds the console status reporter to the local cluster of a live or paced run. */
    static void configure(Configuration conf, JobConfig cfg) {
        Duration every = cfg.conf().get(STATUS_INTERVAL);
        boolean paced = cfg.conf().get(VideoSourceOptions.PACE) == VideoSourceOptions.Pace.REALTIME;
        if (every.isZero() || !(paced || live(cfg))) {
            return;
        }
        conf.setString(
                "metrics.reporter.status.factory.class",
                LiveStatusReporter.Factory.class.getName());
        conf.setString("metrics.reporter.status.interval", every.toMillis() + " ms");
    }

    /**
     * Waits for the job; on SIGINT/SIGTERM drains it. Returns the run's exit code: 0 when it ended
     * (or was stopped) cleanly, {@link #GAVE_UP_EXIT_CODE} when its live sources all gave up.
     */
    static int await(JobClient client, JobConfig cfg) throws Exception {
        AtomicReference<String> stoppedBy = new AtomicReference<>();
        CompletableFuture<JobExecutionResult> result = client.getJobExecutionResult();
        SignalHandler onSignal =
                signal -> {
                    if (!stoppedBy.compareAndSet(null, "SIG" + signal.getName())) {
                        System.err.println("second signal: exiting without waiting");
                        Runtime.getRuntime().halt(130);
                    }
                    System.err.printf(
                            "SIG%s: stopping the job cleanly (sources end, outputs are flushed"
                                    + " and closed)...%n",
                            signal.getName());
                    CompletableFuture.runAsync(() -> drain(client));
                };
        SignalHandler oldInt = handle("INT", onSignal);
        SignalHandler oldTerm = handle("TERM", onSignal);
        try {
            result.get();
        } finally {
            handle("INT", oldInt);
            handle("TERM", oldTerm);
        }
        if (stoppedBy.get() != null) {
            System.err.printf("stopped by %s; every output is complete%n", stoppedBy.get());
            return 0;
        }
        if (live(cfg) && !cfg.kafka()) {
            int code = cfg.conf().get(GAVE_UP_EXIT_CODE);
            System.err.printf(
                    "every live source gave up (source.max-reconnects); exit code %d%n", code);
            return code;
        }
        return 0;
    }

    /** Installs a handler; null (and the JVM's own handling) where the signal is not ours. */
    private static SignalHandler handle(String name, SignalHandler handler) {
        if (handler == null) {
            return null;
        }
        try {
            return Signal.handle(new Signal(name), handler);
        } catch (IllegalArgumentException e) {
            // e.g. java -Xrs: the JVM keeps the signal; a stop is then not a clean one
            System.err.printf(
                    "cannot handle SIG%s (%s): stopping will not drain%n", name, e.getMessage());
            return null;
        }
    }

    private static void drain(JobClient client) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("facestream-stop");
            client.stopWithSavepoint(true, dir.toString(), SavepointFormatType.CANONICAL)
                    .get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.printf(
                    "clean stop failed (%s); cancelling the job: outputs may be incomplete%n",
                    e.getMessage());
            client.cancel();
        } finally {
            deleteQuietly(dir);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a savepoint left in the temp folder is harmless
        }
    }
}
