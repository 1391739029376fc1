package io.facestream.gallery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.facestream.gallery.GalleryOptions.Backend;
import io.facestream.gallery.GalleryOptions.Quantization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
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
 * keys under {@code facestream:gallery:{g}}. Writes go in MULTI/EXEC batches, so a batch is never
 * half-applied to the entry index and the store.
 */
abstract class RedisGallery implements FaceGallery {
    static final String KEY_PREFIX = "facestream:gallery:";
    static final ObjectMapper JSON = new ObjectMapper();

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final int BATCH = 500;

    protected final UnifiedJedis client;
    protected final String name;
    protected final String key;
    protected final String where;
    private final GalleryOptions options;
    private final boolean ownsClient;
    private final GalleryMeta meta;
    private final String entriesKey;

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

    /** Makes the store ready for entries of {@code info}; checks key types first. */
    abstract void prepareStore(GalleryInfo info);

    abstract Response<?> queueAdd(AbstractTransaction tx, GalleryEntry entry, GalleryInfo info);

    abstract Response<?> queueRemove(AbstractTransaction tx, String entryId);

    /** Queues the search; the supplier reads the reply once the pipeline has synced. */
    abstract Supplier<List<Match>> queueSearch(
            AbstractPipeline pipeline, float[] vector, int k, String filter);

    abstract void dropStore();

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
                        added +=
                                addBatch(
                                        entries.subList(
                                                from, Math.min(entries.size(), from + BATCH)),
                                        info);
                    }
                    return added;
                });
    }

    private int addBatch(List<GalleryEntry> batch, GalleryInfo info) {
        List<Response<?>> writes = new ArrayList<>(batch.size());
        List<Response<Long>> fresh = new ArrayList<>(batch.size());
        try (AbstractTransaction tx = client.multi()) {
            for (GalleryEntry e : batch) {
                writes.add(queueAdd(tx, e, info));
                fresh.add(tx.hset(entriesKey, e.entryId(), e.identity()));
            }
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
        return call(
                "searching gallery '" + name + "'",
                () -> {
                    // One round trip: the guard's metadata travels with the search itself.
                    try (AbstractPipeline pipeline = client.pipelined()) {
                        Response<List<String>> stored = meta.queueRead(pipeline);
                        Supplier<List<Match>> hits = queueSearch(pipeline, vector, k, filter);
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
                            tx.exec();
                        }
                        writes.forEach(Response::get);
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
                    client.del(meta.key(), entriesKey);
                    return existed;
                });
    }

    @Override
    public void close() {
        if (ownsClient) {
            client.close();
        }
    }

    /** The JSON attributes stored with each entry, which search filters select on. */
    static String attributesJson(GalleryEntry e) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("identity", e.identity());
        attributes.put("model", e.embedderModel());
        attributes.put("source", e.source());
        attributes.put("enrolled", e.enrolledAtMillis());
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
