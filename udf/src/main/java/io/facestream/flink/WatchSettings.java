package io.facestream.flink;

import io.facestream.gallery.Watchlists;
import java.io.Serializable;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Per-camera watchlists ({@code watchlists.camera.<id>.match} / {@code .alert}) and how often the
 * job re-reads the gallery ({@code gallery.refresh-interval}).
 *
 * <p>{@code match}: camera to the lists its faces are searched among; a camera not in the map is
 * searched against the whole gallery. {@code alert}: camera to the lists whose members raise a
 * {@code FaceAlert} there; a camera not in the map raises none. Names are checked by {@link
 * Watchlists} when this is built, so every filter built from them is safe.
 */
public record WatchSettings(
        Map<String, SortedSet<String>> match, Map<String, SortedSet<String>> alert, long refreshMs)
        implements Serializable {
    /** Every camera matches the whole gallery, none alerts; the gallery is re-read every second. */
    public static final WatchSettings NONE = new WatchSettings(Map.of(), Map.of(), 1000);

    public WatchSettings {
        match = copy(match);
        alert = copy(alert);
        if (refreshMs < 1) {
            throw new IllegalArgumentException(
                    "gallery.refresh-interval must be positive, got " + refreshMs + " ms");
        }
    }

    private static Map<String, SortedSet<String>> copy(Map<String, SortedSet<String>> in) {
        TreeMap<String, SortedSet<String>> out = new TreeMap<>();
        if (in != null) {
            in.forEach((camera, lists) -> out.put(camera, Watchlists.requireValidNames(lists)));
        }
        return Collections.unmodifiableMap(out);
    }

    /** The lists camera {@code camera} matches against; null for all (no filter). */
    public SortedSet<String> matchListsFor(String camera) {
        return match.get(camera);
    }

    /** The lists that alert on {@code camera}; empty for none. */
    public SortedSet<String> alertListsFor(String camera) {
        SortedSet<String> a = alert.get(camera);
        return a == null ? Collections.emptySortedSet() : a;
    }

    /**
     * The {@code VSIM ... FILTER} for {@code camera}'s searches; null when it matches all lists.
     */
    public String filterFor(String camera) {
        SortedSet<String> lists = match.get(camera);
        return lists == null ? null : Watchlists.filterAnyOf(lists);
    }

    /** The lists of {@code identity} (from {@code own}) through which it matches on camera. */
    public List<String> matchedLists(String camera, java.util.Collection<String> own) {
        return Watchlists.intersect(own, match.get(camera));
    }

    /** Every list named in the configuration, for checking them against the gallery at submit. */
    public SortedSet<String> namedLists() {
        SortedSet<String> all = new TreeSet<>();
        match.values().forEach(all::addAll);
        alert.values().forEach(all::addAll);
        return all;
    }
}
