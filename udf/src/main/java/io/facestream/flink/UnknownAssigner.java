package io.facestream.flink;

import io.facestream.gallery.Sighting;
import io.facestream.gallery.UnknownRegistry;
import io.facestream.schema.FaceAppearance;
import io.facestream.schema.MatchStatus;
import io.facestream.schema.internal.TrackAppearanceState;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the ENDED event of an unidentified track its pseudonym, inside {@link TrackAssembler}, the
 * operator that emits it: the assignment is keyed by camera, track and first time in Redis ({@link
 * UnknownRegistry#assign} is idempotent), so a job that replays from a checkpoint after a failure
 * gives the replayed event the same pseudonym and counts the appearance once. The first subtask
 * also removes expired pseudonyms every {@code unknowns.expire-interval}.
 *
 * <p>When Redis fails the event goes out without a pseudonym (counted in {@code pseudonymFailures},
 * logged at most once a minute): an outage of the pseudonym store must not stop recognition.
 */
final class UnknownAssigner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UnknownAssigner.class);

    private final UnknownSettings settings;
    private final UnknownRegistry registry;
    private final ScheduledExecutorService expirer;
    private final Counter assigned;
    private final Counter failures;
    private long lastLog;

    private UnknownAssigner(UnknownSettings settings, int subtask, MetricGroup metrics) {
        this.settings = settings;
        this.registry =
                UnknownRegistry.open(
                        settings.redisUrl(),
                        settings.tls(),
                        settings.gallery(),
                        settings.options());
        this.assigned = metrics.counter("pseudonymsAssigned");
        this.failures = metrics.counter("pseudonymFailures");
        if (subtask == 0) {
            expirer =
                    Executors.newSingleThreadScheduledExecutor(
                            r -> {
                                Thread t = new Thread(r, "unknowns-expiry");
                                t.setDaemon(true);
                                return t;
                            });
            long every = settings.expireIntervalMs();
            expirer.scheduleWithFixedDelay(this::expire, 0, every, TimeUnit.MILLISECONDS);
        } else {
            expirer = null;
        }
    }

    /** Null when pseudonyms are off. */
    static UnknownAssigner open(UnknownSettings settings, int subtask, MetricGroup metrics) {
        return settings == null || !settings.enabled()
                ? null
                : new UnknownAssigner(settings, subtask, metrics);
    }

    /** Sets the pseudonym of {@code ended} when its track ended UNKNOWN with a template. */
    void assign(String camera, TrackAppearanceState st, FaceAppearance ended) {
        float[] template = TrackTemplate.of(st);
        if (ended.getStatus() != MatchStatus.UNKNOWN || template == null) {
            return;
        }
        Sighting s =
                new Sighting(
                        camera,
                        st.getTrackId(),
                        st.getFirstTimestamp(),
                        st.getLastTimestamp(),
                        settings.embedderModel(),
                        template);
        try {
            ended.setPseudonym(registry.assign(s, System.currentTimeMillis()));
            assigned.inc();
        } catch (RuntimeException e) {
            failures.inc();
            long now = System.currentTimeMillis();
            if (now - lastLog > 60_000) {
                lastLog = now;
                LOG.warn(
                        "no pseudonym for track {} of camera {}: {}",
                        s.trackId(),
                        camera,
                        e.toString());
            }
        }
    }

    private void expire() {
        try {
            List<String> gone = registry.expire(System.currentTimeMillis());
            if (!gone.isEmpty()) {
                LOG.info("removed {} expired unknown pseudonyms", gone.size());
            }
        } catch (RuntimeException e) {
            LOG.warn("removing expired unknown pseudonyms failed: {}", e.toString());
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (expirer != null) {
            expirer.shutdownNow();
            expirer.awaitTermination(5, TimeUnit.SECONDS);
        }
        registry.close();
    }
}
