package io.facestream.gallery;

import io.facestream.gallery.GalleryOptions.Backend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import redis.clients.jedis.RedisClient;

/**
 * The gallery contract against a server with the Redis Query Engine (Redis Stack, Redis 8 with the
 * Query Engine, Valkey with valkey-search). None can be built on the CI machine, so this runs only
 * when the server is named: {@code mvn verify -Dredis.search.url=redis://localhost:6379} (for
 * instance docker-compose's Redis Stack). It is the project's one conditional test.
 */
class QueryEngineGalleryITCase extends FaceGalleryContract {
    static RedisClient client;

    @BeforeAll
    static void connect() {
        String url = System.getProperty("redis.search.url");
        if (url == null || url.isBlank()) {
            throw new IllegalStateException(
                    "QueryEngineGalleryITCase needs -Dredis.search.url=redis://host:port of a Redis"
                            + " Stack / Query Engine server (docker compose up redis)");
        }
        client = RedisClient.create(url);
    }

    @AfterAll
    static void disconnect() {
        if (client != null) {
            client.close();
        }
    }

    @Override
    FaceGallery open(String name) {
        return Galleries.open(
                client, name, GalleryOptions.defaults().withBackend(Backend.QUERY_ENGINE));
    }

    @Override
    String onlyIdentity(String identity) {
        return "@identity:{" + identity + "}";
    }
}
