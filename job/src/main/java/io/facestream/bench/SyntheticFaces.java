package io.facestream.bench;

import io.facestream.embed.Vectors;
import io.facestream.gallery.GalleryEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Synthetic embeddings for the gallery benchmarks: "people" are random unit directions, entries and
 * queries noisy copies of them (cosine to their person about 0.9), so they cluster like face
 * embeddings rather than uniform noise. Deterministic for a given {@link Random}.
 */
final class SyntheticFaces {
    /** The embedder name the benchmark galleries are filled with. */
    static final String MODEL = "bench-embedder";

    private SyntheticFaces() {}

    /** A random unit vector. */
    static float[] unit(Random random, int dim) {
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return Vectors.normalize(v);
    }

    /** A unit vector near {@code centre} (cosine about 0.9). */
    static float[] near(Random random, float[] centre) {
        float[] v = new float[centre.length];
        double scale = 0.5 / Math.sqrt(centre.length);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (centre[i] + scale * random.nextGaussian());
        }
        return Vectors.normalize(v);
    }

    /** Entries {@code from .. from + n - 1}, entry i of person {@code i mod people}. */
    static List<GalleryEntry> batch(Random random, float[][] people, long from, int n) {
        List<GalleryEntry> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long id = from + i;
            int person = (int) (id % people.length);
            out.add(
                    new GalleryEntry(
                            String.format("%032x", id),
                            "person-" + person,
                            MODEL,
                            people[person].length,
                            "synthetic",
                            0L,
                            near(random, people[person])));
        }
        return out;
    }
}
