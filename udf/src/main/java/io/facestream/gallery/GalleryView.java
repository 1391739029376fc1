package io.facestream.gallery;

import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a gallery holds (its identities and their watchlists), re-read in the background whenever
 * the gallery's {@link FaceGallery#version() version} has changed. Checking the version costs one
 * small read per {@code refreshMs}; the identities and lists are read only after a change. So a
 * change (enrolment, deletion, list change) shows in {@link #current()} at most {@code refreshMs}
 * plus one read after it was written.
 *
 * <p>Until the first read succeeds {@link #current()} is null: a reader then knows nothing and must
 * not conclude that an identity is gone. A failed read keeps the last snapshot (logged at most once
 * a minute).
 */
public final class GalleryView implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GalleryView.class);

    /**
     * One reading of the gallery.
     *
     * @param version the gallery's version when read
     * @param identities every enrolled identity
     * @param lists identity to its watchlists, for identities on some list
     */
    public record Snapshot(
            long version, Set<String> identities, Map<String, SortedSet<String>> lists) {
        public boolean present(String identity) {
            return identities.contains(identity);
        }

        public SortedSet<String> listsOf(String identity) {
            SortedSet<String> l = lists.get(identity);
            return l == null ? java.util.Collections.emptySortedSet() : l;
        }
    }

    private final FaceGallery gallery;
    private final ScheduledExecutorService poller;
    private volatile Snapshot current;
    private volatile long lastErrorLog;

    /** Reads once now (a failure is logged, not thrown), then every {@code refreshMs}. */
    public GalleryView(FaceGallery gallery, long refreshMs) {
        this.gallery = gallery;
        refresh();
        this.poller =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "gallery-view-" + gallery.name());
                            t.setDaemon(true);
                            return t;
                        });
        poller.scheduleWithFixedDelay(this::refresh, refreshMs, refreshMs, TimeUnit.MILLISECONDS);
    }

    /** The latest reading, or null before the first read succeeded. */
    public Snapshot current() {
        return current;
    }

    /** Reads the gallery again if its version changed; public so tests need not wait. */
    public void refresh() {
        try {
            long v = gallery.version();
            Snapshot s = current;
            if (s != null && s.version() == v) {
                return;
            }
            // Lists first, version re-checked after: a change between the reads is caught next
            // round, since the snapshot records the version read before them.
            SortedMap<String, SortedSet<String>> lists = gallery.watchlists();
            Set<String> identities = Set.copyOf(gallery.identities().keySet());
            current = new Snapshot(v, identities, Map.copyOf(lists));
        } catch (RuntimeException e) {
            long now = System.currentTimeMillis();
            if (now - lastErrorLog > 60_000) {
                lastErrorLog = now;
                LOG.warn(
                        "re-reading gallery '{}' failed; keeping what was read before: {}",
                        gallery.name(),
                        e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
        gallery.close();
    }
}
