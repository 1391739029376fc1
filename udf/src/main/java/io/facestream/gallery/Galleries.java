package io.facestream.gallery;

import io.facestream.gallery.GalleryOptions.Backend;
import java.net.URI;
import java.util.List;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Opens a {@link FaceGallery} on whichever store the Redis server offers.
 *
 * <p>With {@code gallery.backend=auto}: an existing gallery keeps the backend it was created with;
 * otherwise vector sets when the server knows {@code VADD} (Redis 8+), else the Query Engine when
 * it knows {@code FT.SEARCH}. An explicit backend the server lacks, or a server with neither, is a
 * {@link GalleryException} that names both options.
 */
public final class Galleries {
    private Galleries() {}

    /** Opens a gallery on a client the caller keeps; closing the gallery leaves the client open. */
    public static FaceGallery open(UnifiedJedis client, String name, GalleryOptions options) {
        return open(client, name, options, "the Redis server", false);
    }

    /**
     * Opens a gallery with its own pooled client for {@code redisUrl} ({@code
     * redis[s]://[[user]:password@]host:port[/db]}, see {@link RedisConnections}); {@code rediss}
     * URLs trust what the JVM trusts. Closing the gallery closes the client.
     */
    public static FaceGallery open(String redisUrl, String name, GalleryOptions options) {
        return open(redisUrl, name, options, RedisTls.JVM_DEFAULT);
    }

    /** As {@link #open(String, String, GalleryOptions)}, with {@code tls} for rediss URLs. */
    public static FaceGallery open(
            String redisUrl, String name, GalleryOptions options, RedisTls tls) {
        RedisGallery.requireValidName(name);
        URI uri = RedisConnections.parse(redisUrl);
        // Never the password: this string goes into exception messages and logs.
        String where = RedisConnections.where(uri);
        RedisClient client =
                RedisErrors.call(where, "connecting", () -> RedisConnections.open(uri, tls));
        try {
            return open(client, name, options, where, true);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    private static FaceGallery open(
            UnifiedJedis client,
            String name,
            GalleryOptions options,
            String where,
            boolean ownsClient) {
        RedisGallery.requireValidName(name);
        Backend backend = choose(client, name, options.backend(), where);
        return backend == Backend.VECTOR_SET
                ? new VectorSetGallery(client, name, options, where, ownsClient)
                : new QueryEngineGallery(client, name, options, where, ownsClient);
    }

    private static Backend choose(
            UnifiedJedis client, String name, Backend configured, String where) {
        return RedisErrors.call(
                where,
                "opening gallery '" + name + "'",
                () -> {
                    if (configured == Backend.AUTO) {
                        String stored = hgetQuietly(client, name);
                        if (stored != null) {
                            return Backend.fromConfig(stored);
                        }
                    }
                    boolean[] has = supported(client);
                    if (configured == Backend.AUTO && (has[0] || has[1])) {
                        return has[0] ? Backend.VECTOR_SET : Backend.QUERY_ENGINE;
                    }
                    if ((configured == Backend.VECTOR_SET && has[0])
                            || (configured == Backend.QUERY_ENGINE && has[1])) {
                        return configured;
                    }
                    throw new GalleryException(
                            "Redis at "
                                    + where
                                    + (configured == Backend.AUTO
                                            ? " has neither backend"
                                            : " lacks "
                                                    + GalleryOptions.BACKEND_KEY
                                                    + "="
                                                    + configured.configValue())
                                    + " (VADD: "
                                    + (has[0] ? "yes" : "no")
                                    + ", FT.SEARCH: "
                                    + (has[1] ? "yes" : "no")
                                    + "). Use "
                                    + GalleryOptions.BACKEND_KEY
                                    + "=vectorset with Redis 8 or newer (vector sets; a local one:"
                                    + " scripts/redis8.sh start PORT), or "
                                    + GalleryOptions.BACKEND_KEY
                                    + "=query-engine with Redis Stack, Redis 8 with the Query"
                                    + " Engine, or Valkey with valkey-search");
                });
    }

    private static String hgetQuietly(UnifiedJedis client, String name) {
        try {
            return client.hget(RedisGallery.metaKey(name), "backend");
        } catch (JedisException e) {
            if (RedisErrors.isWrongType(e)) {
                throw RedisErrors.wrongType(client, RedisGallery.metaKey(name), "hash");
            }
            throw e;
        }
    }

    /** Whether the server knows VADD and FT.SEARCH, from {@code COMMAND INFO}. */
    private static boolean[] supported(UnifiedJedis client) {
        Object reply = client.sendCommand(Protocol.Command.COMMAND, "INFO", "VADD", "FT.SEARCH");
        List<?> infos = (List<?>) reply;
        // COMMAND INFO answers nil for each command the server does not know.
        return new boolean[] {infos.get(0) != null, infos.get(1) != null};
    }
}
