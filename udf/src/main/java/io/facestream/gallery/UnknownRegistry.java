package io.facestream.gallery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import redis.clients.jedis.AbstractTransaction;
import redis.clients.jedis.BuilderFactory;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.VAddParams;
import redis.clients.jedis.resps.VSimScoreAttribs;

/**
 * Persistent pseudonyms for people the gallery does not know, in Redis next to gallery {@code g}
 * (all keys in hash slot {@code {g}}):
 *
 * <ul>
 *   <li>{@code facestream:gallery:{g}:unknowns}: vector set of templates; element {@code
 *       <pseudonym>.<hash of the appearance>}, attributes {@code pseudonym}, {@code model}, {@code
 *       camera}, {@code seen};
 *   <li>{@code facestream:gallery:{g}:unknown:<pseudonym>}: hash of the pseudonym's attributes:
 *       {@code appearances}, {@code first}, {@code last} (event ms), {@code model}, {@code
 *       c:<camera>} (appearances there), {@code t:<appearance>} and {@code e:<element>} (what to
 *       remove with it);
 *   <li>{@code facestream:gallery:{g}:unknowns:tracks}: hash appearance key to pseudonym, which
 *       makes {@link #assign} idempotent: the same appearance assigned again (a Flink job replaying
 *       after a failure) gets the same pseudonym and changes nothing;
 *   <li>{@code facestream:gallery:{g}:unknowns:expiry}: sorted set pseudonym by wall-clock expiry;
 *   <li>{@code facestream:gallery:{g}:unknowns:meta}: hash model, dimension (the model guard).
 * </ul>
 *
 * <p>Each pseudonym's writes and removals go in one MULTI/EXEC, so a pseudonym is never half
 * written or half forgotten. Two cameras that see a new stranger at the same moment may create two
 * pseudonyms for him (the search and the write are not one transaction); later appearances then
 * join whichever is nearer. Thread-safe when the client is (a pooled client is).
 */
public final class UnknownRegistry implements AutoCloseable {
    public static final String PREFIX = "unknown-";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final UnifiedJedis client;
    private final UnknownOptions options;
    private final String where;
    private final boolean ownsClient;
    private final String base;
    private final String set;
    private final String tracks;
    private final String expiry;
    private final String meta;

    /** On a client the caller keeps open; {@code gallery} is the namespace (a gallery's name). */
    public UnknownRegistry(UnifiedJedis client, String gallery, UnknownOptions options) {
        this(client, gallery, options, "the Redis server", false);
    }

    private UnknownRegistry(
            UnifiedJedis client,
            String gallery,
            UnknownOptions options,
            String where,
            boolean ownsClient) {
        this.client = client;
        this.options = options;
        this.where = where;
        this.ownsClient = ownsClient;
        this.base = RedisGallery.galleryKey(RedisGallery.requireValidName(gallery));
        this.set = base + ":unknowns";
        this.tracks = set + ":tracks";
        this.expiry = set + ":expiry";
        this.meta = set + ":meta";
    }

    /** With its own pooled client for {@code redisUrl}, closed by {@link #close}. */
    public static UnknownRegistry open(
            String redisUrl, RedisTls tls, String gallery, UnknownOptions options) {
        URI uri = RedisConnections.parse(redisUrl);
        String where = RedisConnections.where(uri);
        UnifiedJedis c =
                RedisErrors.call(where, "connecting", () -> RedisConnections.open(uri, tls));
        return new UnknownRegistry(c, gallery, options, where, true);
    }

    /** The vector set's key (for tests and tools that inspect it). */
    public String setKey() {
        return set;
    }

    /** The key of the hash holding {@code pseudonym}'s attributes. */
    public String pseudonymKey(String pseudonym) {
        return base + ":unknown:" + pseudonym;
    }

    /**
     * The pseudonym of {@code s}: the one this appearance already has, else the one whose nearest
     * template reaches {@code minSimilarity}, else a new one. Records the appearance (count, times,
     * camera, its template while the pseudonym has fewer than {@code maxVectors}) and pushes the
     * expiry to {@code nowMillis + ttl}.
     */
    public String assign(Sighting s, long nowMillis) {
        VectorBlobs.requireUsable(s.template(), "unknown template of " + s.key());
        return call(
                "assigning a pseudonym",
                () -> {
                    String known = client.hget(tracks, s.key());
                    if (known != null && client.exists(pseudonymKey(known))) {
                        return known;
                    }
                    requireSameModel(s);
                    String p = nearest(s).orElseGet(() -> PREFIX + hash(s.key(), 12));
                    record(p, s, nowMillis);
                    return p;
                });
    }

    private void requireSameModel(Sighting s) {
        String dim = Integer.toString(s.template().length);
        Map<String, String> m = client.hgetAll(meta);
        if (m.isEmpty()) {
            client.hset(meta, Map.of("model", s.embedderModel(), "dimension", dim));
        } else if (!s.embedderModel().equals(m.get("model")) || !dim.equals(m.get("dimension"))) {
            throw new GalleryException(
                    "unknown pseudonyms at "
                            + set
                            + " hold embeddings of model '"
                            + m.get("model")
                            + "' ("
                            + m.get("dimension")
                            + "-d), not '"
                            + s.embedderModel()
                            + "' ("
                            + dim
                            + "-d): forget them (gallery forget) or use another gallery name");
        }
    }

    private Optional<String> nearest(Sighting s) {
        if (!client.exists(set)) {
            return Optional.empty();
        }
        CommandArguments args =
                new CommandArguments(Protocol.Command.VSIM)
                        .key(set)
                        .add("FP32")
                        .add(VectorBlobs.toFp32(s.template()))
                        .add("WITHSCORES")
                        .add("WITHATTRIBS")
                        .add("COUNT")
                        .add(8);
        Map<String, VSimScoreAttribs> hits =
                client.executeCommand(
                        new CommandObject<>(args, BuilderFactory.VSIM_SCORE_ATTRIBS_MAP));
        String best = null;
        double bestCos = -2;
        for (VSimScoreAttribs h : hits.values()) {
            double cos = 2 * h.getScore() - 1;
            String p = attribute(h.getAttributes(), "pseudonym");
            if (cos >= options.minSimilarity() && cos > bestCos && p != null) {
                best = p;
                bestCos = cos;
            }
        }
        return Optional.ofNullable(best);
    }

    private void record(String p, Sighting s, long nowMillis) {
        String key = pseudonymKey(p);
        Map<String, String> old = client.hgetAll(key);
        long vectors = old.keySet().stream().filter(f -> f.startsWith("e:")).count();
        long first = Math.min(s.firstMillis(), parse(old.get("first"), Long.MAX_VALUE));
        long last = Math.max(s.lastMillis(), parse(old.get("last"), Long.MIN_VALUE));
        String element = p + "." + hash(s.key(), 12);
        try (AbstractTransaction tx = client.multi()) {
            tx.hset(tracks, s.key(), p);
            tx.hincrBy(key, "appearances", 1);
            tx.hincrBy(key, "c:" + s.camera(), 1);
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("first", Long.toString(first));
            fields.put("last", Long.toString(last));
            fields.put("model", s.embedderModel());
            fields.put("t:" + s.key(), "1");
            if (vectors < options.maxVectors()) {
                fields.put("e:" + element, "1");
                Map<String, Object> attrs = new LinkedHashMap<>();
                attrs.put("pseudonym", p);
                attrs.put("model", s.embedderModel());
                attrs.put("camera", s.camera());
                attrs.put("seen", s.lastMillis());
                tx.vaddFP32(
                        set,
                        VectorBlobs.toFp32(s.template()),
                        element,
                        new VAddParams().noQuant().setAttr(json(attrs)));
            }
            tx.hset(key, fields);
            tx.zadd(expiry, nowMillis + options.ttl().toMillis(), p);
            tx.exec();
        }
    }

    /** Every pseudonym, most recently seen first. */
    public List<Pseudonym> list() {
        return call(
                "listing unknown pseudonyms",
                () -> {
                    List<Pseudonym> out = new ArrayList<>();
                    for (String p : client.zrange(expiry, 0, -1)) {
                        get(p).ifPresent(out::add);
                    }
                    out.sort((a, b) -> Long.compare(b.lastSeenMillis(), a.lastSeenMillis()));
                    return out;
                });
    }

    /** One pseudonym, or empty when there is none by that id (never was, expired, forgotten). */
    public Optional<Pseudonym> get(String pseudonym) {
        return call(
                "reading pseudonym " + pseudonym,
                () -> {
                    Map<String, String> h = client.hgetAll(pseudonymKey(pseudonym));
                    if (h.isEmpty()) {
                        return Optional.empty();
                    }
                    TreeMap<String, Long> cameras = new TreeMap<>();
                    int vectors = 0;
                    for (Map.Entry<String, String> f : h.entrySet()) {
                        if (f.getKey().startsWith("c:")) {
                            cameras.put(f.getKey().substring(2), Long.parseLong(f.getValue()));
                        } else if (f.getKey().startsWith("e:")) {
                            vectors++;
                        }
                    }
                    Double score = client.zscore(expiry, pseudonym);
                    return Optional.of(
                            new Pseudonym(
                                    pseudonym,
                                    parse(h.get("appearances"), 0),
                                    parse(h.get("first"), 0),
                                    parse(h.get("last"), 0),
                                    cameras,
                                    vectors,
                                    score == null ? 0 : score.longValue()));
                });
    }

    /** The stored templates of {@code pseudonym}, by element id. */
    public Map<String, float[]> vectors(String pseudonym) {
        return call(
                "reading the vectors of " + pseudonym,
                () -> {
                    Map<String, float[]> out = new LinkedHashMap<>();
                    for (String f : client.hkeys(pseudonymKey(pseudonym))) {
                        if (f.startsWith("e:")) {
                            List<Double> v = client.vemb(set, f.substring(2));
                            float[] a = new float[v.size()];
                            for (int i = 0; i < a.length; i++) {
                                a[i] = v.get(i).floatValue();
                            }
                            out.put(f.substring(2), a);
                        }
                    }
                    return out;
                });
    }

    /**
     * Removes every vector, attribute and appearance key of {@code pseudonym}.
     *
     * @return whether there was such a pseudonym
     */
    public boolean forget(String pseudonym) {
        return call(
                "forgetting " + pseudonym,
                () -> {
                    String key = pseudonymKey(pseudonym);
                    Map<String, String> h = client.hgetAll(key);
                    try (AbstractTransaction tx = client.multi()) {
                        for (String f : h.keySet()) {
                            if (f.startsWith("e:")) {
                                tx.vrem(set, f.substring(2));
                            } else if (f.startsWith("t:")) {
                                tx.hdel(tracks, f.substring(2));
                            }
                        }
                        tx.del(key);
                        tx.zrem(expiry, pseudonym);
                        tx.exec();
                    }
                    if (client.zcard(expiry) == 0) {
                        // Nobody left: a later model may start afresh.
                        client.del(meta);
                    }
                    return !h.isEmpty();
                });
    }

    /** Forgets every pseudonym of the namespace; returns them. */
    public List<String> forgetAll() {
        List<String> all = call("listing unknown pseudonyms", () -> client.zrange(expiry, 0, -1));
        all.forEach(this::forget);
        call("forgetting unknown pseudonyms", () -> client.del(set, tracks, expiry, meta));
        return all;
    }

    /** Forgets every pseudonym whose expiry is at or before {@code nowMillis}; returns them. */
    public List<String> expire(long nowMillis) {
        List<String> due =
                call(
                        "expiring unknown pseudonyms",
                        () -> client.zrangeByScore(expiry, Double.NEGATIVE_INFINITY, nowMillis));
        List<String> gone = new ArrayList<>();
        for (String p : due) {
            // Seen again since the range was read: its expiry moved on, keep it.
            Double at = call("expiring " + p, () -> client.zscore(expiry, p));
            if (at != null && at <= nowMillis && forget(p)) {
                gone.add(p);
            }
        }
        return gone;
    }

    /**
     * Moves {@code pseudonym}'s templates into {@code gallery} as entries of {@code identity}, then
     * forgets the pseudonym.
     *
     * @return how many entries were added
     */
    public int promote(String pseudonym, String identity, FaceGallery gallery, long nowMillis) {
        Map<String, String> h =
                call("reading " + pseudonym, () -> client.hgetAll(pseudonymKey(pseudonym)));
        if (h.isEmpty()) {
            throw new GalleryException(
                    "no unknown pseudonym '" + pseudonym + "' (see: gallery unknowns)");
        }
        List<GalleryEntry> entries = new ArrayList<>();
        vectors(pseudonym)
                .forEach(
                        (element, v) ->
                                entries.add(
                                        new GalleryEntry(
                                                hash(element, GalleryEntry.ENTRY_ID_LENGTH),
                                                identity,
                                                h.get("model"),
                                                v.length,
                                                "promoted from " + pseudonym,
                                                nowMillis,
                                                v)));
        gallery.add(entries);
        forget(pseudonym);
        return entries.size();
    }

    @Override
    public void close() {
        if (ownsClient) {
            client.close();
        }
    }

    private <T> T call(String action, Supplier<T> body) {
        return RedisErrors.call(where, action, body);
    }

    private static String attribute(String json, String field) {
        if (json == null) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(json).get(field);
            return n == null ? null : n.asText();
        } catch (JsonProcessingException e) {
            throw new GalleryException("unreadable attributes of an unknown template: " + json, e);
        }
    }

    private static String json(Map<String, Object> m) {
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static long parse(String v, long orElse) {
        return v == null ? orElse : Long.parseLong(v);
    }

    /** A hash of the key, not the key: pseudonyms and element ids say nothing about cameras. */
    static String hash(String text, int hexChars) {
        try {
            byte[] d =
                    MessageDigest.getInstance("SHA-256")
                            .digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d).substring(0, hexChars);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
