package io.facestream.gallery;

import io.facestream.gallery.GalleryOptions.Backend;
import io.facestream.gallery.GalleryOptions.Quantization;
import java.util.List;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;

/**
 * A gallery's creation record (HASH {@code facestream:gallery:{g}:meta}) and the guard that keeps
 * one vector space per gallery.
 */
final class GalleryMeta {
    private static final String[] FIELDS = {
        "model", "dimension", "quantization", "backend", "created"
    };
    // Atomic create-if-absent, so two enrolments racing on a new gallery cannot mix models.
    private static final String CREATE =
            "if redis.call('EXISTS', KEYS[1]) == 0 then "
                    + "redis.call('HSET', KEYS[1], unpack(ARGV)) return 1 end return 0";

    private final String name;
    private final String key;
    private final Backend backend;
    private final String where;

    GalleryMeta(String name, String key, Backend backend, String where) {
        this.name = name;
        this.key = key;
        this.backend = backend;
        this.where = where;
    }

    String key() {
        return key;
    }

    GalleryInfo read(UnifiedJedis client) {
        return parse(client.hmget(key, FIELDS));
    }

    /** Queues the read; {@link #parse} turns the reply into the info. */
    Response<List<String>> queueRead(AbstractPipeline pipeline) {
        return pipeline.hmget(key, FIELDS);
    }

    /** Creates the record unless one exists, then returns whichever is stored. */
    GalleryInfo createOrRead(
            UnifiedJedis client, String model, int dimension, Quantization quantization) {
        client.eval(
                CREATE,
                List.of(key),
                List.of(
                        "model", model,
                        "dimension", Integer.toString(dimension),
                        "quantization", quantization.configValue(),
                        "backend", backend.configValue(),
                        "created", Long.toString(System.currentTimeMillis())));
        return read(client);
    }

    GalleryInfo parse(List<String> fields) {
        if (fields.get(0) == null) {
            throw new GalleryMissingException(name, where);
        }
        GalleryInfo info =
                new GalleryInfo(
                        name,
                        fields.get(0),
                        Integer.parseInt(fields.get(1)),
                        Quantization.fromConfig(fields.get(2)),
                        Backend.fromConfig(fields.get(3)),
                        Long.parseLong(fields.get(4)));
        if (info.backend() != backend) {
            throw new GalleryException(
                    "gallery '"
                            + name
                            + "' is stored with backend "
                            + info.backend().configValue()
                            + ", not "
                            + backend.configValue()
                            + "; open it with "
                            + GalleryOptions.BACKEND_KEY
                            + "="
                            + info.backend().configValue()
                            + " (or auto)");
        }
        return info;
    }

    /** Refuses to {@code op} with a model or dimension other than the gallery's. */
    static void requireSameSpace(GalleryInfo info, String model, int dimension, String op) {
        if (!info.embedderModel().equals(model) || info.dimension() != dimension) {
            throw new GalleryException(
                    "gallery '"
                            + info.name()
                            + "' holds embeddings of model '"
                            + info.embedderModel()
                            + "' ("
                            + info.dimension()
                            + "-d); refusing to "
                            + op
                            + " with model '"
                            + model
                            + "' ("
                            + dimension
                            + "-d): similarities between two models' embeddings are meaningless."
                            + " Use a gallery enrolled with '"
                            + model
                            + "', or drop this one and re-enrol");
        }
    }
}
