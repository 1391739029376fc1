package io.facestream.gallery;

import io.facestream.embed.Vectors;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Deterministic synthetic embeddings: people are random unit directions, their photos are noisy
 * copies of them. Enough to test a store, which never sees a model.
 */
final class Synthetic {
    private final Random random;
    private final int dimension;

    Synthetic(long seed, int dimension) {
        this.random = new Random(seed);
        this.dimension = dimension;
    }

    /** A random unit vector. */
    float[] unit() {
        float[] v = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return Vectors.normalize(v);
    }

    /** A unit vector near {@code center}: cosine about 1 / sqrt(1 + noise^2). */
    float[] near(float[] center, double noise) {
        float[] v = new float[dimension];
        double scale = noise / Math.sqrt(dimension);
        for (int i = 0; i < dimension; i++) {
            v[i] = (float) (center[i] + scale * random.nextGaussian());
        }
        return Vectors.normalize(v);
    }

    /** {@code photos} entries of {@code identity} around {@code center}. */
    List<GalleryEntry> person(String identity, float[] center, int photos, String model) {
        List<GalleryEntry> entries = new ArrayList<>();
        for (int i = 0; i < photos; i++) {
            String source = identity + "_" + (i + 1) + ".jpg";
            entries.add(entry(identity, source, near(center, 0.3), model));
        }
        return entries;
    }

    static GalleryEntry entry(String identity, String source, float[] vector, String model) {
        String id =
                GalleryEntry.entryId(
                        (identity + "/" + source).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        0,
                        0,
                        100,
                        100);
        return new GalleryEntry(id, identity, model, vector.length, source, 1_000L, vector);
    }
}
