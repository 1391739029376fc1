package io.facestream.gallery;

import io.facestream.gallery.GalleryOptions.Quantization;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
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
 * <p>Kept current by the gallery's own writes. Each identity's exact sum of normalised entries and
 * its entry count are kept in the HASH {@code facestream:gallery:{g}:template-sums} (identity to a
 * blob: int32 count, then float32 sum, little-endian), so an add (enrolment, a promoted unknown)
 * costs O(entries added): the batch's normalised vectors are added to the sums (an entry id
 * enrolled again is first taken out of its old identity's sum, read back with {@code VEMB}, which
 * under Q8 is approximate: a small drift only for replaced entries, which a rebuild clears), under
 * {@code WATCH} of the sums, so concurrent adds each apply once. A deletion or a list change
 * recomputes the touched identities from their stored entries ({@code VEMB}) under {@code WATCH} of
 * the entry index, the lists and the meta record (both already cost O(entries) to find the
 * identity's entries).
 *
 * <p>A gallery whose templates and sums are all present is marked ({@code templates = 2} in its
 * meta record). A gallery enrolled before templates existed has no mark: its first template search
 * or its first write builds them all (once, O(entries)), and {@code facestream gallery
 * rebuild-templates} does the same on demand (also the repair after entries were written to Redis
 * by other means).
 */
final class IdentityTemplates {
    static final String MARKER = "templates";
    private static final String MARK = "2";
    private static final int RETRIES = 10;

    private final UnifiedJedis client;
    private final String name;
    private final String entrySet;
    private final String key;
    private final String entriesKey;
    private final String listsKey;
    private final String metaKey;
    private final byte[] sumsKey;

    IdentityTemplates(UnifiedJedis client, String name, String galleryKey) {
        this.client = client;
        this.name = name;
        this.entrySet = galleryKey;
        this.key = galleryKey + ":templates";
        this.entriesKey = galleryKey + ":entries";
        this.listsKey = galleryKey + ":lists";
        this.metaKey = galleryKey + ":meta";
        this.sumsKey = bytes(galleryKey + ":template-sums");
    }

    /** Keys this class writes besides the templates' set, for a drop. */
    String sumsKey() {
        return new String(sumsKey, StandardCharsets.UTF_8);
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
        return MARK.equals(client.hget(metaKey, MARKER));
    }

    /** What an add is about to overwrite: the old identity and vector of each entry id present. */
    record Prior(Map<String, String> identities, Map<String, float[]> vectors) {}

    /** Read before an add's transaction: which of its entry ids are already enrolled, as whom. */
    Prior priorOf(List<GalleryEntry> batch) {
        String[] ids = batch.stream().map(GalleryEntry::entryId).toArray(String[]::new);
        List<String> who = client.hmget(entriesKey, ids);
        Map<String, String> identities = new LinkedHashMap<>();
        Map<String, Response<List<Double>>> replies = new LinkedHashMap<>();
        try (AbstractPipeline pipeline = client.pipelined()) {
            for (int i = 0; i < ids.length; i++) {
                if (who.get(i) != null) {
                    identities.put(ids[i], who.get(i));
                    replies.put(ids[i], pipeline.vemb(entrySet, ids[i]));
                }
            }
            pipeline.sync();
        }
        Map<String, float[]> vectors = new LinkedHashMap<>();
        replies.forEach(
                (id, r) -> {
                    List<Double> v = r.get();
                    if (v != null && !v.isEmpty()) {
                        float[] f = new float[v.size()];
                        for (int d = 0; d < f.length; d++) {
                            f[d] = v.get(d).floatValue();
                        }
                        vectors.put(id, f);
                    }
                });
        return new Prior(identities, vectors);
    }

    /** After an add's transaction: the batch's vectors join their identities' sums. */
    void added(List<GalleryEntry> batch, Prior prior, GalleryInfo info) {
        if (!complete()) {
            update(null, info);
            return;
        }
        Map<String, double[]> delta = new TreeMap<>();
        Map<String, Integer> counts = new TreeMap<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (GalleryEntry e : batch) {
            if (!seen.add(e.entryId())) {
                continue; // the same id twice in one batch: the last write wins, count it once
            }
            String old = prior.identities().get(e.entryId());
            float[] oldVector = prior.vectors().get(e.entryId());
            if (old != null && oldVector != null) {
                accumulate(delta, counts, old, oldVector, -1);
            }
            accumulate(delta, counts, e.identity(), e.vector(), +1);
        }
        for (int attempt = 0; attempt < RETRIES; attempt++) {
            try (AbstractTransaction tx = client.transaction(false)) {
                tx.watch(sumsKey);
                tx.watch(listsKey, metaKey);
                List<String> ids = new ArrayList<>(delta.keySet());
                List<byte[]> stored =
                        client.hmget(
                                sumsKey,
                                ids.stream().map(IdentityTemplates::bytes).toArray(byte[][]::new));
                List<String> lists = client.hmget(listsKey, ids.toArray(String[]::new));
                tx.multi();
                for (int i = 0; i < ids.size(); i++) {
                    String identity = ids.get(i);
                    double[] sum = delta.get(identity).clone();
                    int count = counts.get(identity);
                    ByteBuffer old = stored.get(i) == null ? null : wrap(stored.get(i));
                    if (old != null) {
                        count += old.getInt();
                        for (int d = 0; d < sum.length; d++) {
                            sum[d] += old.getFloat();
                        }
                    }
                    queueWrite(
                            tx, info, identity, count, sum, RedisGallery.parseLists(lists.get(i)));
                }
                List<Object> replies = tx.exec();
                if (replies != null) {
                    throwErrors(replies);
                    return;
                }
                // Another add changed the sums meanwhile: read them again; this delta stays.
            }
        }
        throw changing();
    }

    private static void accumulate(
            Map<String, double[]> delta,
            Map<String, Integer> counts,
            String identity,
            float[] v,
            int sign) {
        double norm = 0;
        for (float x : v) {
            norm += (double) x * x;
        }
        norm = Math.sqrt(norm);
        double[] sum = delta.computeIfAbsent(identity, k -> new double[v.length]);
        for (int d = 0; d < v.length; d++) {
            sum[d] += sign * v[d] / norm;
        }
        counts.merge(identity, sign, Integer::sum);
    }

    /** Queues the identity's sum and template, or their removal when it has no entries left. */
    private void queueWrite(
            AbstractTransaction tx,
            GalleryInfo info,
            String identity,
            int count,
            double[] sum,
            SortedSet<String> lists) {
        float[] t = count > 0 ? unit(sum) : null;
        if (t == null) {
            tx.hdel(sumsKey, bytes(identity));
            tx.vrem(key, identity);
            return;
        }
        ByteBuffer blob =
                ByteBuffer.allocate(Integer.BYTES + Float.BYTES * sum.length)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .putInt(count);
        for (double x : sum) {
            blob.putFloat((float) x);
        }
        tx.hset(sumsKey, bytes(identity), blob.array());
        tx.vaddFP32(key, VectorBlobs.toFp32(t), identity, params(info, identity, count, lists));
    }

    private static ByteBuffer wrap(byte[] blob) {
        return ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void throwErrors(List<Object> replies) {
        for (Object r : replies) {
            if (r instanceof JedisException e) {
                throw e;
            }
        }
    }

    private GalleryException changing() {
        return new GalleryException(
                "gallery '"
                        + name
                        + "' kept changing while its identity templates were updated; run"
                        + " 'facestream gallery rebuild-templates -g "
                        + name
                        + "' once the writes have settled");
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
                tx.watch(sumsKey);
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
                Map<String, double[]> sums = new LinkedHashMap<>();
                Map<String, Integer> counts = new LinkedHashMap<>();
                sums(entryIds, sums, counts);
                Map<String, String> lists = client.hgetAll(listsKey);
                tx.multi();
                if (only == null) {
                    tx.del(sumsKey);
                }
                sums.forEach(
                        (identity, sum) ->
                                queueWrite(
                                        tx,
                                        info,
                                        identity,
                                        counts.get(identity),
                                        sum,
                                        RedisGallery.parseLists(lists.get(identity))));
                gone.forEach(identity -> queueWrite(tx, info, identity, 0, null, null));
                if (only == null) {
                    tx.hset(metaKey, MARKER, MARK);
                }
                List<Object> replies = tx.exec();
                if (replies != null) {
                    throwErrors(replies);
                    return sums.size();
                }
            }
        }
        throw changing();
    }

    /** Each identity's sum of L2-normalised entries and how many entries it holds. */
    private void sums(
            Map<String, List<String>> entryIds,
            Map<String, double[]> sums,
            Map<String, Integer> counts) {
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
        vectors.forEach(
                (identity, replies) -> {
                    for (Response<List<Double>> r : replies) {
                        List<Double> v = r.get();
                        if (v == null || v.isEmpty()) {
                            continue; // indexed but not (yet) in the set: a write in flight
                        }
                        float[] f = new float[v.size()];
                        for (int d = 0; d < f.length; d++) {
                            f[d] = v.get(d).floatValue();
                        }
                        accumulate(sums, counts, identity, f, +1);
                    }
                });
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
