package io.facestream.job;

import io.facestream.flink.WatchSettings;
import io.facestream.gallery.FaceGallery;
import io.facestream.gallery.GalleryException;
import io.facestream.gallery.Watchlists;
import java.time.Duration;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

/**
 * Per-camera watchlists: {@code watchlists.camera.<camera-id>.match: staff,vip} restricts that
 * camera's searches to members of those lists (default: the whole gallery), {@code
 * watchlists.camera.<camera-id>.alert: vip} raises a {@code FaceAlert} for members of those lists
 * (default: none). {@code gallery.refresh-interval} bounds how long the running job takes to see a
 * gallery change on tracks it already follows. List names: see {@link Watchlists}.
 */
public final class WatchlistOptions {
    static final String PREFIX = "watchlists.camera.";

    public static final ConfigOption<Duration> REFRESH_INTERVAL =
            ConfigOptions.key("gallery.refresh-interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(1))
                    .withDescription(
                            "How often the job checks the gallery's version and, when it changed,"
                                    + " re-reads identities and watchlists: a deletion or list"
                                    + " change reaches tracks already followed within this"
                                    + " (lookups themselves are never cached).");

    private WatchlistOptions() {}

    /** The watchlist keys of {@code conf}, checked (names, key shape, no empty lists). */
    public static WatchSettings fromConfig(Configuration conf) {
        Map<String, SortedSet<String>> match = new TreeMap<>();
        Map<String, SortedSet<String>> alert = new TreeMap<>();
        for (Map.Entry<String, String> e : conf.toMap().entrySet()) {
            String key = e.getKey();
            if (!key.startsWith(PREFIX)) {
                continue;
            }
            int dot = key.lastIndexOf('.');
            String camera = key.substring(PREFIX.length(), Math.max(PREFIX.length(), dot));
            String what = key.substring(dot + 1);
            if (camera.isEmpty() || !(what.equals("match") || what.equals("alert"))) {
                throw new IllegalArgumentException(
                        key
                                + ": expected watchlists.camera.<camera-id>.match or"
                                + " watchlists.camera.<camera-id>.alert");
            }
            SortedSet<String> lists;
            try {
                lists = Watchlists.parse(e.getValue());
            } catch (GalleryException bad) {
                throw new IllegalArgumentException(key + ": " + bad.getMessage(), bad);
            }
            if (lists.isEmpty()) {
                throw new IllegalArgumentException(
                        key + " is empty: name at least one list, or remove the key");
            }
            (what.equals("match") ? match : alert).put(camera, lists);
        }
        return new WatchSettings(match, alert, conf.get(REFRESH_INTERVAL).toMillis());
    }

    /**
     * Fails when the configuration names a list no identity of {@code gallery} is on: a typo would
     * otherwise make a camera match nobody, or never alert, without a word.
     */
    public static void requireKnownLists(WatchSettings watch, FaceGallery gallery) {
        SortedSet<String> named = watch.namedLists();
        if (named.isEmpty()) {
            return;
        }
        SortedSet<String> known = new TreeSet<>();
        gallery.watchlists().values().forEach(known::addAll);
        SortedSet<String> unknown = new TreeSet<>(named);
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(
                    "watchlists.camera.* names "
                            + (unknown.size() == 1 ? "list " : "lists ")
                            + unknown
                            + ", which no identity of gallery '"
                            + gallery.name()
                            + "' is on (its lists: "
                            + (known.isEmpty() ? "none" : known)
                            + "); put someone on it with 'facestream gallery list-add IDENTITY"
                            + " LIST' or fix the name");
        }
    }
}
