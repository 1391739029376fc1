package io.facestream.gallery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.facestream.gallery.GalleryOptions.Backend;
import io.facestream.gallery.GalleryOptions.Quantization;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.AbstractTransaction;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * What both Redis stores share: key layout, the model guard, the entry index and error handling.
 *
 * <p>Keys of gallery {@code g}, all in hash slot {@code {g}} so a cluster keeps them together:
 * {@code facestream:gallery:{g}:meta} (HASH: model, dimension, quantization, backend, created),
 * {@code facestream:gallery:{g}:entries} (HASH: entry id to identity, which answers counts,
 * identity listing and deletion in O(entries) without touching the vectors), and the store's own
 * keys under {@code facestream:gallery:{g}}; {@code facestream:gallery:{g}:lists} (HASH: identity
 * to a JSON array of its watchlists) and {@code facestream:gallery:{g}:version} (a counter every
 * write increments, so readers can cache and notice changes). A vector-set gallery also keeps
 * identity templates in {@code facestream:gallery:{g}:templates} and {@code :template-sums} ({@link
 * IdentityTemplates}). Writes go in MULTI/EXEC batches, so a batch is never half-applied to the
 * entry index and the store.
 */
abstract class RedisGallery implements FaceGallery {
    static final String KEY_PREFIX = "facestream:gallery:";
    static final ObjectMapper JSON = new ObjectMapper();

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /**
     * Entries per MULTI/EXEC. Redis runs an EXEC as one command, and inserting into a large HNSW
     * graph costs milliseconds per vector: 500 entries into a 100k gallery took longer than the
     * client's 2 s read timeout on this project's 2-core machine (found by GalleryBench once each
     * batch also updated the identity templates). 100 keeps one EXEC well under it at no cost in
     * throughput (the graph insertions dominate either way).
     */
    private static final int BATCH = 100;

    protected final UnifiedJedis client;
    protected final String name;
    protected final String key;
    protected final String where;
    private final GalleryOptions options;
    private final boolean ownsClient;
    private final GalleryMeta meta;
    private final String entriesKey;
    private final String listsKey;
    protected final String versionKey;

    RedisGallery(
            UnifiedJedis client,
            String name,
            GalleryOptions options,
            String where,
            boolean ownsClient) {
        this.client = client;
        this.name = requireValidName(name);
        this.options = options;
        this.where = where;
        this.ownsClient = ownsClient;
        this.key = galleryKey(name);
        this.meta = new GalleryMeta(name, metaKey(name), backend(), where);
        this.entriesKey = key + ":entries";
        this.listsKey = key + ":lists";
        this.versionKey = key + ":version";
    }

    /** Names become part of keys: no braces (hash tags), spaces or separators. */
    static String requireValidName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new GalleryException(
                    "gallery name '"
                            + name
                            + "' is not usable: 1-64 letters, digits, '.', '_' or '-', starting"
                            + " with a letter or digit");
        }
        return name;
    }

    static String galleryKey(String name) {
        return KEY_PREFIX + "{" + name + "}";
    }

    static String metaKey(String name) {
        return galleryKey(name) + ":meta";
    }

    abstract Backend backend();

    /** How this store will keep vectors when {@code requested} is asked for at creation. */
    Quantization storedQuantization(Quantization requested) {
        return requested;
    }

    /** The store's key and the Redis type it must have, for wrong-type messages. */
    abstract Map<String, String> storeKeyTypes();

    /** Reads what a store needs to know before {@code batch} overwrites it; null by default. */
    Object beforeAdd(List<GalleryEntry> batch) {
        return null;
    }

    /**
     * Called after {@code batch} was added, with what {@link #beforeAdd} read; nothing by default.
     */
    void afterAdd(List<GalleryEntry> batch, Object prior, GalleryInfo info) {}

    /**
     * Called after a write (delete, list change) touching {@code identities} was applied, so a
     * store can bring what it derives from entries up to date; nothing by default.
     */
    void afterWrite(Collection<String> identities) {}

    /** Makes the store ready for entries of {@code info}; checks key types first. */
    abstract void prepareStore(GalleryInfo info);

    /** Queues adding {@code entry}, its attributes naming the identity's {@code lists}. */
    abstract Response<?> queueAdd(
            AbstractTransaction tx, GalleryEntry entry, GalleryInfo info, SortedSet<String> lists);

    abstract Response<?> queueRemove(AbstractTransaction tx, String entryId);

    /** Queues the search; the supplier reads the reply once the pipeline has synced. */
    abstract Supplier<List<Match>> queueSearch(
            AbstractPipeline pipeline, float[] vector, int k, String filter);

    abstract void dropStore();

    /**
     * Queues replacing the watchlists in the attributes of the identity's entries, given their
     * current attributes (entry id to JSON, null when an entry has none).
     */
    abstract void queueSetLists(
            AbstractTransaction tx, Map<String, String> attributes, SortedSet<String> lists);

    /** The current attributes (JSON) of the given entries. */
    abstract Map<String, String> readAttributes(List<String> entryIds);

    @Override
    public String name() {
        return name;
    }

    @Override
    public GalleryInfo info() {
        return call("reading gallery '" + name + "'", () -> meta.read(client));
    }

    @Override
    public boolean exists() {
        return call("reading gallery '" + name + "'", () -> client.exists(meta.key()));
    }

    @Override
    public int add(List<GalleryEntry> entries) {
        if (entries.isEmpty()) {
            return 0;
        }
        GalleryEntry first = entries.get(0);
        for (GalleryEntry e : entries) {
            if (!e.embedderModel().equals(first.embedderModel())
                    || e.dimension() != first.dimension()) {
                throw new GalleryException(
                        "one add mixes embeddings of model '"
                                + first.embedderModel()
                                + "' ("
                                + first.dimension()
                                + "-d) and '"
                                + e.embedderModel()
                                + "' ("
                                + e.dimension()
                                + "-d); a gallery holds one model's embeddings");
            }
        }
        return call(
                "adding to gallery '" + name + "'",
                () -> {
                    GalleryInfo info =
                            meta.createOrRead(
                                    client,
                                    first.embedderModel(),
                                    first.dimension(),
                                    storedQuantization(options.quantization()));
                    GalleryMeta.requireSameSpace(
                            info, first.embedderModel(), first.dimension(), "add");
                    prepareStore(info);
                    int added = 0;
                    for (int from = 0; from < entries.size(); from += BATCH) {
                        List<GalleryEntry> batch =
                                entries.subList(from, Math.min(entries.size(), from + BATCH));
                        Object prior = beforeAdd(batch);
                        added += addBatch(batch, info);
                        afterAdd(batch, prior, info);
                    }
                    return added;
                });
    }

    private int addBatch(List<GalleryEntry> batch, GalleryInfo info) {
        List<Response<?>> writes = new ArrayList<>(batch.size());
        List<Response<Long>> fresh = new ArrayList<>(batch.size());
        Map<String, SortedSet<String>> lists = listsOf(batch);
        try (AbstractTransaction tx = client.multi()) {
            for (GalleryEntry e : batch) {
                writes.add(queueAdd(tx, e, info, lists.getOrDefault(e.identity(), EMPTY)));
                fresh.add(tx.hset(entriesKey, e.entryId(), e.identity()));
            }
            tx.incr(versionKey);
            tx.exec();
        }
        writes.forEach(Response::get);
        return fresh.stream().mapToInt(r -> r.get().intValue()).sum();
    }

    @Override
    public List<Match> search(String embedderModel, float[] vector, int k, String filter) {
        VectorBlobs.requireUsable(vector, "search in gallery '" + name + "'");
        if (k < 1) {
            throw new GalleryException("search in gallery '" + name + "': k = " + k + " < 1");
        }
        return guardedSearch(
                "searching gallery '" + name + "'",
                embedderModel,
                vector,
                pipeline -> queueSearch(pipeline, vector, k, filter));
    }

    /**
     * Runs a search queued by {@code queue} in one round trip with the read of the gallery's model
     * and dimension, and refuses the answer when the query is of another vector space.
     */
    <T> T guardedSearch(
            String action,
            String embedderModel,
            float[] vector,
            java.util.function.Function<AbstractPipeline, Supplier<T>> queue) {
        return call(
                action,
                () -> {
                    try (AbstractPipeline pipeline = client.pipelined()) {
                        Response<List<String>> stored = meta.queueRead(pipeline);
                        Supplier<T> hits = queue.apply(pipeline);
                        pipeline.sync();
                        GalleryMeta.requireSameSpace(
                                meta.parse(stored.get()), embedderModel, vector.length, "search");
                        return hits.get();
                    }
                });
    }

    @Override
    public SortedMap<String, Long> identities() {
        return call(
                "listing gallery '" + name + "'",
                () -> {
                    SortedMap<String, Long> counts = new TreeMap<>();
                    for (String identity : client.hvals(entriesKey)) {
                        counts.merge(identity, 1L, Long::sum);
                    }
                    return counts;
                });
    }

    @Override
    public int deleteIdentity(String identity) {
        return call(
                "deleting '" + identity + "' from gallery '" + name + "'",
                () -> {
                    List<String> ids = new ArrayList<>();
                    client.hgetAll(entriesKey)
                            .forEach(
                                    (id, who) -> {
                                        if (who.equals(identity)) {
                                            ids.add(id);
                                        }
                                    });
                    for (int from = 0; from < ids.size(); from += BATCH) {
                        List<Response<?>> writes = new ArrayList<>();
                        try (AbstractTransaction tx = client.multi()) {
                            for (String id :
                                    ids.subList(from, Math.min(ids.size(), from + BATCH))) {
                                writes.add(queueRemove(tx, id));
                                writes.add(tx.hdel(entriesKey, id));
                            }
                            tx.incr(versionKey);
                            tx.exec();
                        }
                        writes.forEach(Response::get);
                    }
                    if (client.hdel(listsKey, identity) > 0 && ids.isEmpty()) {
                        client.incr(versionKey);
                    }
                    if (!ids.isEmpty()) {
                        afterWrite(List.of(identity));
                    }
                    return ids.size();
                });
    }

    @Override
    public long count() {
        return call("counting gallery '" + name + "'", () -> client.hlen(entriesKey));
    }

    @Override
    public boolean drop() {
        return call(
                "dropping gallery '" + name + "'",
                () -> {
                    boolean existed = client.exists(meta.key()) || client.exists(entriesKey);
                    dropStore();
                    // A drop leaves no trace, the version counter included (a view that does
                    // not look before the gallery is enrolled again may miss the drop).
                    client.del(meta.key(), entriesKey, listsKey, versionKey);
                    return existed;
                });
    }

    @Override
    public void close() {
        if (ownsClient) {
            client.close();
        }
    }

    @Override
    public SortedMap<String, SortedSet<String>> watchlists() {
        return call(
                "reading the watchlists of gallery '" + name + "'",
                () -> {
                    SortedMap<String, SortedSet<String>> out = new TreeMap<>();
                    client.hgetAll(listsKey)
                            .forEach(
                                    (identity, json) -> {
                                        SortedSet<String> l = parseLists(json);
                                        if (!l.isEmpty()) {
                                            out.put(identity, l);
                                        }
                                    });
                    return out;
                });
    }

    @Override
    public SortedSet<String> addToLists(String identity, Collection<String> lists) {
        SortedSet<String> names = Watchlists.requireValidNames(lists);
        return changeLists(identity, "adding '" + identity + "' to lists " + names, names, true);
    }

    @Override
    public SortedSet<String> removeFromLists(String identity, Collection<String> lists) {
        SortedSet<String> names = Watchlists.requireValidNames(lists);
        return changeLists(
                identity, "removing '" + identity + "' from lists " + names, names, false);
    }

    private SortedSet<String> changeLists(
            String identity, String action, SortedSet<String> names, boolean add) {
        return call(
                action + " in gallery '" + name + "'",
                () -> {
                    List<String> ids = entryIdsOf(identity);
                    if (ids.isEmpty()) {
                        throw new GalleryException(
                                "'"
                                        + identity
                                        + "' is not enrolled in gallery '"
                                        + name
                                        + "': enrol it first (enroll --list puts it on lists)");
                    }
                    SortedSet<String> now = parseLists(client.hget(listsKey, identity));
                    if (add) {
                        now.addAll(names);
                    } else {
                        now.removeAll(names);
                    }
                    Map<String, String> attributes = readAttributes(ids);
                    try (AbstractTransaction tx = client.multi()) {
                        queueSetLists(tx, attributes, now);
                        if (now.isEmpty()) {
                            tx.hdel(listsKey, identity);
                        } else {
                            tx.hset(listsKey, identity, toJson(now));
                        }
                        tx.incr(versionKey);
                        tx.exec().forEach(RedisGallery::throwIfError);
                    }
                    afterWrite(List.of(identity));
                    return now;
                });
    }

    private static void throwIfError(Object reply) {
        if (reply instanceof JedisException e) {
            throw e;
        }
    }

    @Override
    public long version() {
        return call(
                "reading the version of gallery '" + name + "'",
                () -> {
                    String v = client.get(versionKey);
                    return v == null ? 0L : Long.parseLong(v);
                });
    }

    private List<String> entryIdsOf(String identity) {
        List<String> ids = new ArrayList<>();
        client.hgetAll(entriesKey)
                .forEach(
                        (id, who) -> {
                            if (who.equals(identity)) {
                                ids.add(id);
                            }
                        });
        return ids;
    }

    private Map<String, SortedSet<String>> listsOf(List<GalleryEntry> batch) {
        List<String> identities = batch.stream().map(GalleryEntry::identity).distinct().toList();
        List<String> stored = client.hmget(listsKey, identities.toArray(String[]::new));
        Map<String, SortedSet<String>> out = new LinkedHashMap<>();
        for (int i = 0; i < identities.size(); i++) {
            out.put(identities.get(i), parseLists(stored.get(i)));
        }
        return out;
    }

    static final SortedSet<String> EMPTY = java.util.Collections.emptySortedSet();

    static SortedSet<String> parseLists(String json) {
        SortedSet<String> out = new TreeSet<>();
        if (json == null) {
            return out;
        }
        try {
            JSON.readTree(json).forEach(n -> out.add(n.asText()));
        } catch (JsonProcessingException e) {
            throw new GalleryException("unreadable watchlists in the gallery: " + json, e);
        }
        return out;
    }

    static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** The JSON attributes stored with each entry, which search filters select on. */
    static String attributesJson(GalleryEntry e, SortedSet<String> lists) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("identity", e.identity());
        attributes.put("model", e.embedderModel());
        attributes.put("source", e.source());
        attributes.put("enrolled", e.enrolledAtMillis());
        attributes.put(Watchlists.ATTRIBUTE, lists);
        try {
            return JSON.writeValueAsString(attributes);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    <T> T call(String action, Supplier<T> body) {
        try {
            return body.get();
        } catch (JedisException e) {
            if (RedisErrors.isWrongType(e)) {
                throw wrongTypeFor(e);
            }
            throw RedisErrors.translate(where, action, e);
        }
    }

    private GalleryException wrongTypeFor(JedisException e) {
        Map<String, String> expected = new LinkedHashMap<>(storeKeyTypes());
        expected.put(meta.key(), "hash");
        expected.put(entriesKey, "hash");
        for (Map.Entry<String, String> k : expected.entrySet()) {
            String type = client.type(k.getKey());
            if (!type.equals("none") && !type.equals(k.getValue())) {
                return RedisErrors.wrongType(client, k.getKey(), k.getValue());
            }
        }
        return new GalleryException(
                "gallery '" + name + "' at " + where + ": " + e.getMessage(), e);
    }
}
