package io.facestream.flink;

import io.facestream.gallery.FaceGallery;
import io.facestream.gallery.Galleries;
import io.facestream.gallery.GalleryMissingException;
import io.facestream.gallery.Match;
import io.facestream.schema.internal.FaceEmbedding;
import io.facestream.schema.internal.FaceMatches;
import io.facestream.schema.internal.GalleryMatch;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks each face's embedding up in the Redis gallery, asynchronously: the search runs on this
 * function's own thread pool, never on the task thread. A failed search (Redis down, gallery gone)
 * completes with a {@link FaceMatches} marked {@code lookupFailed}, which {@link #FAILED} lets
 * {@code AsyncRetryStrategies} retry; when retries run out or {@link #timeout} fires, that marked
 * result is what flows on and becomes a {@code LOOKUP_FAILED} identity. Failures never fail the
 * job, and lookups resume by themselves once Redis answers again.
 *
 * <p>No result is cached: every search reads the gallery as it is, so enrolments and deletions are
 * seen by the next lookup. A camera with watchlists ({@link WatchSettings}) searches only the
 * members of its lists ({@code VSIM ... FILTER}). What a face is compared with, identity templates
 * or the top-k entries, is {@code match.decision} ({@link io.facestream.gallery.MatchDecision}).
 *
 * <p>A gallery that is gone (Redis restarted without its data, the gallery dropped) is not "no
 * match": its searches fail too, so faces become {@code LOOKUP_FAILED} rather than a silent flood
 * of {@code UNKNOWN}, and it is counted and logged apart from an unreachable server.
 *
 * <p>Metrics: {@code lookups} (attempts, retries included), {@code lookupFailures} (failed
 * attempts, whatever the cause), {@code galleryMissing} (failed attempts that found no gallery),
 * {@code lookupTimeouts}. Failures are logged at ERROR at most once per 5 s for each of the two
 * kinds, with the running count.
 */
public class GalleryLookupFunction extends RichAsyncFunction<FaceEmbedding, FaceMatches> {
    private static final Logger LOG = LoggerFactory.getLogger(GalleryLookupFunction.class);

    /** Retry predicate: a result that says its lookup failed. */
    public static final Predicate<Collection<FaceMatches>> FAILED =
            (Predicate<Collection<FaceMatches>> & java.io.Serializable)
                    results ->
                            results != null
                                    && results.stream().anyMatch(FaceMatches::getLookupFailed);

    private final LookupSettings settings;
    private transient ExecutorService executor;
    private transient volatile FaceGallery gallery;
    private transient Counter lookups;
    private transient Counter failures;
    private transient Counter timeouts;
    private transient Counter missing;
    private transient volatile long lastErrorLog;
    private transient volatile long lastMissingLog;

    public GalleryLookupFunction(LookupSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext ctx) {
        executor =
                Executors.newFixedThreadPool(
                        settings.threads(),
                        r -> {
                            Thread t = new Thread(r, "gallery-lookup");
                            t.setDaemon(true);
                            return t;
                        });
        var group = getRuntimeContext().getMetricGroup();
        lookups = group.counter("lookups");
        failures = group.counter("lookupFailures");
        timeouts = group.counter("lookupTimeouts");
        missing = group.counter("galleryMissing");
    }

    @Override
    public void asyncInvoke(FaceEmbedding face, ResultFuture<FaceMatches> result) {
        lookups.inc();
        CompletableFuture.supplyAsync(() -> search(face), executor)
                .handle(
                        (matches, error) -> {
                            if (error == null) {
                                result.complete(List.of(matches(face, matches, null)));
                            } else {
                                failures.inc();
                                Throwable cause =
                                        error.getCause() != null ? error.getCause() : error;
                                countAndLog(cause);
                                result.complete(
                                        List.of(matches(face, List.of(), cause.getMessage())));
                            }
                            return null;
                        });
    }

    private List<Match> search(FaceEmbedding face) {
        float[] v = new float[face.getEmbedding().size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = face.getEmbedding().get(i);
        }
        FaceGallery g = gallery();
        try {
            // The camera's watchlists restrict the search itself: a post-filter of the top-k could
            // miss a listed person ranked below k unlisted ones.
            String filter = settings.watch().filterFor(face.getRef().getCameraId());
            // Templates or entries: the same choice identify and eval make (match.decision).
            return settings.decision()
                    .search(g, face.getEmbedderModel(), v, settings.topK(), filter);
        } catch (GalleryMissingException e) {
            // The server answered: the handle is sound, and closing it would only fail the
            // searches other threads are making on it.
            throw e;
        } catch (RuntimeException e) {
            // The pooled client recovers by itself, but a dropped gallery handle would not.
            resetGallery(g);
            throw e;
        }
    }

    private FaceGallery gallery() {
        FaceGallery g = gallery;
        if (g == null) {
            synchronized (this) {
                if (gallery == null) {
                    gallery =
                            Galleries.open(
                                    settings.redisUrl(),
                                    settings.gallery(),
                                    settings.galleryOptions(),
                                    settings.tls());
                }
                g = gallery;
            }
        }
        return g;
    }

    /**
     * Closes {@code failed} if it is still the current handle. Only that one: searches of other
     * threads that failed on it too must not close the fresh handle a third thread just opened, or
     * one outage would keep closing working clients long after Redis is back.
     */
    private synchronized void resetGallery(FaceGallery failed) {
        if (gallery != null && (failed == null || gallery == failed)) {
            try {
                gallery.close();
            } catch (RuntimeException e) {
                LOG.debug("closing the gallery client failed", e);
            }
            gallery = null;
        }
    }

    private void countAndLog(Throwable e) {
        long now = System.currentTimeMillis();
        if (e instanceof GalleryMissingException) {
            missing.inc();
            if (now - lastMissingLog > 5000) {
                lastMissingLog = now;
                LOG.error(
                        "gallery '{}' is missing ({} lookups found no gallery so far): {}; Redis"
                                + " lost its data or the gallery was dropped. Faces are marked"
                                + " LOOKUP_FAILED until the gallery is enrolled again",
                        settings.gallery(),
                        missing.getCount(),
                        e.getMessage());
            }
            return;
        }
        // One line every 5 s: an outage must be visible but must not flood the log.
        if (now - lastErrorLog > 5000) {
            lastErrorLog = now;
            LOG.error(
                    "gallery lookup failed ({} failures so far) on gallery '{}': {}",
                    failures.getCount(),
                    settings.gallery(),
                    e.getMessage());
        }
    }

    @Override
    public void timeout(FaceEmbedding face, ResultFuture<FaceMatches> result) {
        timeouts.inc();
        result.complete(List.of(matches(face, List.of(), "lookup timed out")));
    }

    static FaceMatches matches(FaceEmbedding face, List<Match> found, String error) {
        List<GalleryMatch> out = new ArrayList<>(found.size());
        java.util.Map<String, List<String>> lists = new java.util.HashMap<>();
        for (Match m : found) {
            out.add(new GalleryMatch(m.entryId(), m.identity(), m.similarity(), m.source()));
            if (!m.lists().isEmpty()) {
                lists.put(m.identity(), m.lists());
            }
        }
        return FaceMatches.newBuilder()
                .setRef(face.getRef())
                .setEmbedderModel(face.getEmbedderModel())
                .setLookupFailed(error != null)
                .setError(error)
                .setMatches(out)
                .setLists(lists)
                .build();
    }

    @Override
    public void close() throws Exception {
        if (executor != null) {
            executor.shutdownNow();
            executor.awaitTermination(5, TimeUnit.SECONDS);
        }
        resetGallery(null);
    }
}
