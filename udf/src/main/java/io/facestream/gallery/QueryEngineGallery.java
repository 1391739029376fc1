package io.facestream.gallery;

import io.facestream.gallery.GalleryOptions.Backend;
import io.facestream.gallery.GalleryOptions.Quantization;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.AbstractTransaction;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.args.SortingOrder;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.search.Document;
import redis.clients.jedis.search.FTCreateParams;
import redis.clients.jedis.search.FTSearchParams;
import redis.clients.jedis.search.IndexDataType;
import redis.clients.jedis.search.SearchResult;
import redis.clients.jedis.search.schemafields.NumericField;
import redis.clients.jedis.search.schemafields.TagField;
import redis.clients.jedis.search.schemafields.VectorField;
import redis.clients.jedis.search.schemafields.VectorField.VectorAlgorithm;

/**
 * A gallery in the Redis Query Engine (Redis Stack, Redis 8 with the Query Engine, Valkey with
 * valkey-search): one HASH per entry at {@code facestream:gallery:{name}:entry:<entryId>} with
 * fields {@code identity}, {@code model}, {@code source}, {@code enrolled} and {@code vec} (FP32
 * blob), indexed by {@code facestream:gallery:{name}:idx} ({@code VECTOR HNSW FLOAT32 COSINE} on
 * {@code vec}, TAG on {@code identity} and {@code model}, NUMERIC on {@code enrolled}).
 *
 * <p>{@code FT.SEARCH ... =>[KNN k @vec $v AS dist]} reports the cosine distance 1 - cos; this
 * class returns cos = 1 - dist. Vectors are always float32, so its galleries record {@code noquant}
 * whatever was asked for.
 */
public final class QueryEngineGallery extends RedisGallery {
    private final String index;
    private final String entryPrefix;

    public QueryEngineGallery(UnifiedJedis client, String name, GalleryOptions options) {
        this(client, name, options, "the Redis server", false);
    }

    QueryEngineGallery(
            UnifiedJedis client,
            String name,
            GalleryOptions options,
            String where,
            boolean ownsClient) {
        super(client, name, options, where, ownsClient);
        this.index = key + ":idx";
        this.entryPrefix = key + ":entry:";
    }

    @Override
    Backend backend() {
        return Backend.QUERY_ENGINE;
    }

    @Override
    Quantization storedQuantization(Quantization requested) {
        return Quantization.NOQUANT;
    }

    @Override
    Map<String, String> storeKeyTypes() {
        return Map.of();
    }

    @Override
    void prepareStore(GalleryInfo info) {
        try {
            client.ftCreate(
                    index,
                    FTCreateParams.createParams().on(IndexDataType.HASH).prefix(entryPrefix),
                    List.of(
                            VectorField.builder()
                                    .fieldName("vec")
                                    .algorithm(VectorAlgorithm.HNSW)
                                    .addAttribute("TYPE", "FLOAT32")
                                    .addAttribute("DIM", info.dimension())
                                    .addAttribute("DISTANCE_METRIC", "COSINE")
                                    .build(),
                            TagField.of("identity"),
                            TagField.of("model"),
                            NumericField.of("enrolled")));
        } catch (JedisDataException e) {
            // Creating on every add is one cheap round trip; "exists" is the usual answer.
            if (e.getMessage() == null
                    || !e.getMessage().toLowerCase(Locale.ROOT).contains("already exists")) {
                throw e;
            }
        }
    }

    @Override
    Response<?> queueAdd(
            AbstractTransaction tx,
            GalleryEntry entry,
            GalleryInfo info,
            java.util.SortedSet<String> lists) {
        Map<byte[], byte[]> fields = new LinkedHashMap<>();
        fields.put(bytes("identity"), bytes(entry.identity()));
        fields.put(bytes("model"), bytes(entry.embedderModel()));
        fields.put(bytes("source"), bytes(entry.source()));
        fields.put(bytes("enrolled"), bytes(Long.toString(entry.enrolledAtMillis())));
        fields.put(bytes("vec"), VectorBlobs.toFp32(entry.vector()));
        return tx.hset(bytes(entryPrefix + entry.entryId()), fields);
    }

    @Override
    Response<?> queueRemove(AbstractTransaction tx, String entryId) {
        return tx.del(entryPrefix + entryId);
    }

    @Override
    Supplier<List<Match>> queueSearch(
            AbstractPipeline pipeline, float[] vector, int k, String filter) {
        String scope = filter == null || filter.isBlank() ? "*" : "(" + filter + ")";
        FTSearchParams params =
                new FTSearchParams()
                        .addParam("v", VectorBlobs.toFp32(vector))
                        .sortBy("dist", SortingOrder.ASC)
                        .limit(0, k)
                        .returnFields("identity", "source", "dist")
                        .dialect(2);
        Response<SearchResult> reply =
                pipeline.ftSearch(index, scope + "=>[KNN " + k + " @vec $v AS dist]", params);
        return () -> toMatches(reply.get());
    }

    @Override
    Map<String, String> readAttributes(List<String> entryIds) {
        throw new GalleryException(
                "gallery '"
                        + name
                        + "' uses the Query Engine backend; watchlists need the vector-set"
                        + " backend (gallery.backend: vectorset, the default)");
    }

    @Override
    void queueSetLists(
            AbstractTransaction tx,
            Map<String, String> attributes,
            java.util.SortedSet<String> lists) {
        readAttributes(List.of());
    }

    @Override
    void dropStore() {
        try {
            client.ftDropIndexDD(index);
        } catch (JedisDataException e) {
            String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
            // No index: nothing was ever added, or it was dropped already.
            if (!m.contains("unknown index")
                    && !m.contains("not found")
                    && !m.contains("no such")) {
                throw e;
            }
        }
    }

    private List<Match> toMatches(SearchResult result) {
        List<Match> matches = new ArrayList<>();
        for (Document doc : result.getDocuments()) {
            double cosine = 1 - Double.parseDouble(doc.getString("dist"));
            matches.add(
                    new Match(
                            doc.getId().substring(entryPrefix.length()),
                            doc.getString("identity"),
                            (float) cosine,
                            doc.getString("source")));
        }
        matches.sort(Comparator.comparingDouble(Match::similarity).reversed());
        return matches;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
