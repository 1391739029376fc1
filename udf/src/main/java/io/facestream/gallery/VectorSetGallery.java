package io.facestream.gallery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.facestream.gallery.GalleryOptions.Backend;
import io.facestream.gallery.GalleryOptions.Quantization;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.AbstractTransaction;
import redis.clients.jedis.BuilderFactory;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.VAddParams;
import redis.clients.jedis.resps.VSimScoreAttribs;

/**
 * A gallery in a Redis 8 vector set: one set per gallery at {@code facestream:gallery:{name}},
 * element = entry id, the embedding sent as an FP32 blob, the entry's identity, model, source and
 * enrol time as JSON attributes (which {@code VSIM ... FILTER} expressions select on).
 *
 * <p>{@code VSIM ... WITHSCORES} reports (1 + cos) / 2 in [0, 1]; this class returns cos = 2s - 1.
 * With {@link Quantization#NOQUANT} (the default) that equals the float32 cosine to about 1e-6;
 * {@link Quantization#Q8} stores int8 (a quarter of the memory) at about 0.01 error.
 *
 * <p>Keeps one template per identity for {@link #searchTemplates}, in a vector set of its own next
 * to the entries ({@link IdentityTemplates} says where, why there, and how they are kept current
 * and built for a gallery enrolled before templates existed).
 */
public final class VectorSetGallery extends RedisGallery {
    private static final Logger LOG = LoggerFactory.getLogger(VectorSetGallery.class);

    private final IdentityTemplates templates;

    public VectorSetGallery(UnifiedJedis client, String name, GalleryOptions options) {
        this(client, name, options, "the Redis server", false);
    }

    VectorSetGallery(
            UnifiedJedis client,
            String name,
            GalleryOptions options,
            String where,
            boolean ownsClient) {
        super(client, name, options, where, ownsClient);
        this.templates = new IdentityTemplates(client, this.name, key);
    }

    @Override
    Backend backend() {
        return Backend.VECTOR_SET;
    }

    @Override
    Map<String, String> storeKeyTypes() {
        return Map.of(key, "vectorset", templates.key(), "vectorset", templates.sumsKey(), "hash");
    }

    @Override
    void prepareStore(GalleryInfo info) {
        // Checked up front: inside MULTI a wrong type would fail only after the index was written.
        String type = client.type(key);
        if (!type.equals("none") && !type.equals("vectorset")) {
            throw RedisErrors.wrongType(client, key, "vectorset");
        }
    }

    @Override
    Response<?> queueAdd(
            AbstractTransaction tx, GalleryEntry entry, GalleryInfo info, SortedSet<String> lists) {
        VAddParams params = new VAddParams().setAttr(attributesJson(entry, lists));
        params = info.quantization() == Quantization.Q8 ? params.q8() : params.noQuant();
        return tx.vaddFP32(key, VectorBlobs.toFp32(entry.vector()), entry.entryId(), params);
    }

    @Override
    Response<?> queueRemove(AbstractTransaction tx, String entryId) {
        return tx.vrem(key, entryId);
    }

    @Override
    Supplier<List<Match>> queueSearch(
            AbstractPipeline pipeline, float[] vector, int k, String filter) {
        return queueSearch(pipeline, key, vector, k, filter);
    }

    @Override
    public boolean supportsTemplates() {
        return true;
    }

    @Override
    public List<Match> searchTemplates(String embedderModel, float[] vector, int k, String filter) {
        VectorBlobs.requireUsable(vector, "template search in gallery '" + name + "'");
        if (k < 1) {
            throw new GalleryException("search in gallery '" + name + "': k = " + k + " < 1");
        }
        String action = "searching the identity templates of gallery '" + name + "'";
        List<Match> hits =
                guardedSearch(
                        action,
                        embedderModel,
                        vector,
                        pipeline -> {
                            Response<String> mark = templates.queueMark(pipeline);
                            Supplier<List<Match>> found =
                                    queueSearch(pipeline, templates.key(), vector, k, filter);
                            return () -> mark.get() == null ? null : found.get();
                        });
        if (hits != null) {
            return hits;
        }
        buildTemplates();
        return guardedSearch(
                action,
                embedderModel,
                vector,
                pipeline -> queueSearch(pipeline, templates.key(), vector, k, filter));
    }

    /**
     * A gallery enrolled before templates existed: built once, by the first search needing them.
     */
    private synchronized void buildTemplates() {
        call(
                "building the identity templates of gallery '" + name + "'",
                () -> {
                    if (!templates.complete()) {
                        int n = templates.rebuild(info());
                        LOG.info(
                                "gallery '{}' had no identity templates (enrolled before them):"
                                        + " built {}",
                                name,
                                n);
                    }
                    return null;
                });
    }

    @Override
    public int rebuildTemplates() {
        return call(
                "rebuilding the identity templates of gallery '" + name + "'",
                () -> templates.rebuild(info()));
    }

    @Override
    Object beforeAdd(List<GalleryEntry> batch) {
        return templates.priorOf(batch);
    }

    @Override
    void afterAdd(List<GalleryEntry> batch, Object prior, GalleryInfo info) {
        templates.added(batch, (IdentityTemplates.Prior) prior, info);
    }

    @Override
    void afterWrite(Collection<String> identities) {
        GalleryInfo info;
        try {
            info = info();
        } catch (GalleryMissingException dropped) {
            return;
        }
        templates.refresh(identities, info);
    }

    private Supplier<List<Match>> queueSearch(
            AbstractPipeline pipeline, String set, float[] vector, int k, String filter) {
        // Jedis's typed vsim sends VALUES as decimal text; an FP32 blob is 4 bytes per element.
        CommandArguments args =
                new CommandArguments(Protocol.Command.VSIM)
                        .key(set)
                        .add("FP32")
                        .add(VectorBlobs.toFp32(vector))
                        .add("WITHSCORES")
                        .add("WITHATTRIBS")
                        .add("COUNT")
                        .add(k);
        if (filter != null && !filter.isBlank()) {
            args.add("FILTER").add(filter);
        }
        Response<Map<String, VSimScoreAttribs>> reply =
                pipeline.executeCommand(
                        new CommandObject<>(args, BuilderFactory.VSIM_SCORE_ATTRIBS_MAP));
        return () -> toMatches(reply.get());
    }

    @Override
    Map<String, String> readAttributes(List<String> entryIds) {
        Map<String, Response<String>> replies = new LinkedHashMap<>();
        try (AbstractPipeline pipeline = client.pipelined()) {
            for (String id : entryIds) {
                replies.put(id, pipeline.vgetattr(key, id));
            }
            pipeline.sync();
        }
        Map<String, String> out = new LinkedHashMap<>();
        replies.forEach((id, r) -> out.put(id, r.get()));
        return out;
    }

    @Override
    void queueSetLists(
            AbstractTransaction tx, Map<String, String> attributes, SortedSet<String> lists) {
        for (Map.Entry<String, String> e : attributes.entrySet()) {
            JsonNode old = parse(e.getValue());
            ObjectNode updated = old.isObject() ? (ObjectNode) old : JSON.createObjectNode();
            var array = updated.putArray(Watchlists.ATTRIBUTE);
            lists.forEach(array::add);
            tx.vsetattr(key, e.getKey(), updated.toString());
        }
    }

    @Override
    void dropStore() {
        client.del(key, templates.key(), templates.sumsKey());
    }

    private static List<Match> toMatches(Map<String, VSimScoreAttribs> reply) {
        if (reply == null) {
            return List.of();
        }
        List<Match> matches = new ArrayList<>(reply.size());
        for (Map.Entry<String, VSimScoreAttribs> hit : reply.entrySet()) {
            JsonNode attributes = parse(hit.getValue().getAttributes());
            double cosine = 2 * hit.getValue().getScore() - 1;
            matches.add(
                    new Match(
                            hit.getKey(),
                            attributes.path("identity").asText(""),
                            (float) cosine,
                            attributes.path("source").asText(""),
                            lists(attributes)));
        }
        matches.sort(Comparator.comparingDouble(Match::similarity).reversed());
        return matches;
    }

    private static List<String> lists(JsonNode attributes) {
        JsonNode l = attributes.path(Watchlists.ATTRIBUTE);
        if (!l.isArray() || l.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(l.size());
        l.forEach(n -> out.add(n.asText()));
        return List.copyOf(out);
    }

    private static JsonNode parse(String attributes) {
        if (attributes == null) {
            return JSON.missingNode();
        }
        try {
            return JSON.readTree(attributes);
        } catch (JsonProcessingException e) {
            throw new GalleryException(
                    "unreadable attributes of a gallery entry: " + attributes, e);
        }
    }
}
