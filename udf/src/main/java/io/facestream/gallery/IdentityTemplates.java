package io.facestream.gallery;

import io.facestream.gallery.GalleryOptions.Quantization;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.AbstractTransaction;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.VAddParams;

/**
 * The per-identity templates of a {@link VectorSetGallery}: one element per identity in the vector
 * set {@code facestream:gallery:{g}:templates}, its vector the re-normalised mean of the identity's
 * L2-normalised entries, its attributes {@code identity}, {@code model}, {@code lists} (copied from
 * the identity's watchlists, so a {@code VSIM ... FILTER} on lists restricts a template search
 * exactly as an entry search), {@code entries} and {@code source} ({@code "template of N
 * entries"}).
 *
 * <p>A set of its own rather than template elements among the entries: an entry search then needs
 * no extra {@code FILTER} to leave templates out (a filter costs every search, and users' own
 * filters would have to repeat it), the entry count, listing and top-k stay what they were, a
 * template search walks a graph of identities rather than of all entries, and dropping or
 * rebuilding templates never touches an entry. It shares the gallery's hash slot, so it lives on
 * the entries' cluster node, and uses the gallery's quantization.
 *
 * <p>Kept current by the gallery's own writes: after an add (enrolment, a promoted unknown), a
 * deletion or a list change, the templates of the identities touched are recomputed from their
 * stored entries ({@code VEMB}) under {@code WATCH} of the entry index, the lists and the meta
 * record, so two writers racing on one identity cannot leave a template missing an entry: the one
 * whose reads went stale retries. Cost: one read of the entry index and one {@code VEMB} per entry
 * of the touched identities.
 *
 * <p>A gallery whose templates are all present is marked ({@code templates = 1} in its meta
 * record). A gallery enrolled before templates existed has no mark: its first template search or
 * its first write builds them all (once, O(entries)), and {@code facestream gallery
 * rebuild-templates} does the same on demand (also the repair after entries were written to Redis
 * by other means).
 */
final class IdentityTemplates {
    static final String MARKER = "templates";
    private static final int RETRIES = 10;

    private final UnifiedJedis client;
    private final String name;
    private final String entrySet;
    private final String key;
    private final String entriesKey;
    private final String listsKey;
    private final String metaKey;

    IdentityTemplates(UnifiedJedis client, String name, String galleryKey) {
        this.client = client;
        this.name = name;
        this.entrySet = galleryKey;
        this.key = galleryKey + ":templates";
        this.entriesKey = galleryKey + ":entries";
        this.listsKey = galleryKey + ":lists";
        this.metaKey = galleryKey + ":meta";
    }

    /** The templates' vector set. */
    String key() {
        return key;
    }

    /** Queues reading the mark; its reply is null when the templates are not all there. */
    Response<String> queueMark(AbstractPipeline pipeline) {
        return pipeline.hget(metaKey, MARKER);
    }

    boolean complete() {
        return client.hget(metaKey, MARKER) != null;
    }

    /** After a write touching {@code identities}: theirs, or all when the gallery has no mark. */
    void refresh(Collection<String> identities, GalleryInfo info) {
        if (complete()) {
            update(Set.copyOf(identities), info);
        } else {
            update(null, info);
        }
    }

    /**
     * Recomputes every template and marks the gallery.
     *
     * @return the number of templates
     */
    int rebuild(GalleryInfo info) {
        return update(null, info);
    }

    /** {@code only} null: every identity, templates of vanished identities removed, then marked. */
    private int update(Set<String> only, GalleryInfo info) {
        for (int attempt = 0; attempt < RETRIES; attempt++) {
            try (AbstractTransaction tx = client.transaction(false)) {
                tx.watch(entriesKey, listsKey, metaKey);
                Map<String, List<String>> entryIds = new TreeMap<>();
                client.hgetAll(entriesKey)
                        .forEach(
                                (id, who) -> {
                                    if (only == null || only.contains(who)) {
                                        entryIds.computeIfAbsent(who, w -> new ArrayList<>())
                                                .add(id);
                                    }
                                });
                Set<String> gone = new TreeSet<>(only == null ? stored() : only);
                gone.removeAll(entryIds.keySet());
                Map<String, float[]> templates = means(entryIds);
                Map<String, String> lists = client.hgetAll(listsKey);
                tx.multi();
                templates.forEach(
                        (identity, t) ->
                                tx.vaddFP32(
                                        key,
                                        VectorBlobs.toFp32(t),
                                        identity,
                                        params(
                                                info,
                                                identity,
                                                entryIds.get(identity).size(),
                                                RedisGallery.parseLists(lists.get(identity)))));
                gone.forEach(identity -> tx.vrem(key, identity));
                if (only == null) {
                    tx.hset(metaKey, MARKER, "1");
                }
                List<Object> replies = tx.exec();
                if (replies != null) {
                    for (Object r : replies) {
                        if (r instanceof JedisException e) {
                            throw e;
                        }
                    }
                    return templates.size();
                }
            }
        }
        throw new GalleryException(
                "gallery '"
                        + name
                        + "' kept changing while its identity templates were updated; run"
                        + " 'facestream gallery rebuild-templates -g "
                        + name
                        + "' once the writes have settled");
    }

    /** The re-normalised mean of each identity's L2-normalised entries. */
    private Map<String, float[]> means(Map<String, List<String>> entryIds) {
        Map<String, List<Response<List<Double>>>> vectors = new LinkedHashMap<>();
        try (AbstractPipeline pipeline = client.pipelined()) {
            entryIds.forEach(
                    (identity, ids) -> {
                        List<Response<List<Double>>> r = new ArrayList<>(ids.size());
                        ids.forEach(id -> r.add(pipeline.vemb(entrySet, id)));
                        vectors.put(identity, r);
                    });
            pipeline.sync();
        }
        Map<String, float[]> out = new LinkedHashMap<>();
        vectors.forEach(
                (identity, replies) -> {
                    double[] sum = null;
                    for (Response<List<Double>> r : replies) {
                        List<Double> v = r.get();
                        if (v == null || v.isEmpty()) {
                            continue; // indexed but not (yet) in the set: a write in flight
                        }
                        sum = sum == null ? new double[v.size()] : sum;
                        double norm = 0;
                        for (double x : v) {
                            norm += x * x;
                        }
                        norm = Math.sqrt(norm);
                        for (int d = 0; d < sum.length; d++) {
                            sum[d] += v.get(d) / norm;
                        }
                    }
                    float[] t = sum == null ? null : unit(sum);
                    if (t != null) {
                        out.put(identity, t);
                    }
                });
        return out;
    }

    private static float[] unit(double[] sum) {
        double norm = 0;
        for (double x : sum) {
            norm += x * x;
        }
        if (!(norm > 1e-20)) {
            return null; // entries that cancel out have no direction to match against
        }
        norm = Math.sqrt(norm);
        float[] t = new float[sum.length];
        for (int d = 0; d < t.length; d++) {
            t[d] = (float) (sum[d] / norm);
        }
        return t;
    }

    private List<String> stored() {
        long n = client.exists(key) ? client.vcard(key) : 0;
        return n == 0 ? List.of() : client.vrandmember(key, (int) n);
    }

    private static VAddParams params(
            GalleryInfo info, String identity, int entries, SortedSet<String> lists) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("identity", identity);
        attributes.put("model", info.embedderModel());
        attributes.put("source", "template of " + entries + (entries == 1 ? " entry" : " entries"));
        attributes.put("entries", entries);
        attributes.put(Watchlists.ATTRIBUTE, lists);
        VAddParams params = new VAddParams().setAttr(RedisGallery.toJson(attributes));
        return info.quantization() == Quantization.Q8 ? params.q8() : params.noQuant();
    }
}
