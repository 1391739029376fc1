package io.facestream.bench;

import io.facestream.gallery.FaceGallery;
import io.facestream.gallery.Galleries;
import io.facestream.gallery.GalleryOptions;
import io.facestream.gallery.GalleryOptions.Backend;
import io.facestream.gallery.GalleryOptions.Quantization;
import io.facestream.gallery.Match;
import io.facestream.gallery.Watchlists;
import io.facestream.testing.LocalRedis;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;

/**
 * Lookup latency with a watchlist {@code FILTER} against without, on one synthetic gallery in a
 * local Redis 8 ({@link LocalRedis}), through {@link FaceGallery#search} (the job's code path).
 *
 * <p>Data: {@code people} random unit directions, {@code entries} noisy copies spread evenly over
 * them (cosine about 0.9 to their person, like face embeddings). Lists: {@code small} holds 1 % of
 * the people, {@code half} holds 50 %. Queries are noisy copies of random people, the same sequence
 * for each variant; variants are measured interleaved in rounds so a load change on a shared
 * machine hits all of them alike.
 */
public final class FilterBench {

    /** One variant's latencies (ms, sorted). */
    public record Result(String variant, String filter, double[] millis) {
        public double p50() {
            return percentile(millis, 0.50);
        }

        public double p99() {
            return percentile(millis, 0.99);
        }
    }

    private FilterBench() {}

    /**
     * Builds the gallery and measures {@code queries} lookups per variant ({@code k} nearest).
     *
     * @param log progress lines (building takes a minute or two at 100 000 entries)
     */
    public static List<Result> run(
            int entries, int people, int dim, int queries, int k, java.io.PrintStream log) {
        Random random = new Random(11);
        float[][] centres = new float[people][];
        for (int p = 0; p < people; p++) {
            centres[p] = SyntheticFaces.unit(random, dim);
        }
        try (LocalRedis redis = LocalRedis.start();
                // Long socket timeout: a 500-entry MULTI of HNSW inserts can take seconds on a
                // loaded machine.
                RedisClient client =
                        RedisClient.builder()
                                .hostAndPort(redis.host(), redis.port())
                                .clientConfig(
                                        DefaultJedisClientConfig.builder()
                                                .socketTimeoutMillis(120_000)
                                                .build())
                                .build();
                FaceGallery gallery =
                        Galleries.open(
                                client,
                                "filter-bench",
                                new GalleryOptions(Backend.VECTOR_SET, Quantization.NOQUANT))) {
            long t0 = System.nanoTime();
            // One entry per person first, so the lists can be set per identity cheaply; the rest
            // inherit them when added.
            gallery.add(SyntheticFaces.batch(random, centres, 0, people));
            for (int p = 0; p < people; p++) {
                if (p % 100 == 0) {
                    gallery.addToLists("person-" + p, List.of("small"));
                }
                if (p % 2 == 1) {
                    gallery.addToLists("person-" + p, List.of("half"));
                }
            }
            for (long filled = people; filled < entries; ) {
                int n = (int) Math.min(1000, entries - filled);
                gallery.add(SyntheticFaces.batch(random, centres, filled, n));
                filled += n;
            }
            log.printf(
                    Locale.ROOT,
                    "gallery of %d entries built in %.1f s%n",
                    gallery.count(),
                    (System.nanoTime() - t0) / 1e9);
            List<Result> out = measure(gallery, centres, queries, k, random);
            gallery.drop();
            return out;
        }
    }

    /**
     * Measures a gallery this bench filled (here or in an earlier, interrupted run: the people are
     * drawn again from the same seed), without changing it.
     */
    public static List<Result> measureExisting(
            FaceGallery gallery, int people, int dim, int queries, int k) {
        Random random = new Random(11);
        float[][] centres = new float[people][];
        for (int p = 0; p < people; p++) {
            centres[p] = SyntheticFaces.unit(random, dim);
        }
        return measure(gallery, centres, queries, k, new Random(12));
    }

    private static List<Result> measure(
            FaceGallery gallery, float[][] centres, int queries, int k, Random random) {
        Map<String, String> variants = variants();
        int people = centres.length;
        List<float[]> qs = new ArrayList<>(queries);
        for (int i = 0; i < queries; i++) {
            qs.add(SyntheticFaces.near(random, centres[random.nextInt(people)]));
        }
        for (String f : variants.values()) {
            for (int i = 0; i < 100; i++) {
                gallery.search(SyntheticFaces.MODEL, qs.get(i % queries), k, f);
            }
        }
        Map<String, double[]> millis = new LinkedHashMap<>();
        variants.keySet().forEach(v -> millis.put(v, new double[queries]));
        for (int i = 0; i < queries; i++) {
            for (Map.Entry<String, String> v : variants.entrySet()) {
                long start = System.nanoTime();
                List<Match> hits = gallery.search(SyntheticFaces.MODEL, qs.get(i), k, v.getValue());
                millis.get(v.getKey())[i] = (System.nanoTime() - start) / 1e6;
                if (hits.isEmpty()) {
                    throw new IllegalStateException(v.getKey() + ": no result");
                }
            }
        }
        List<Result> out = new ArrayList<>();
        for (Map.Entry<String, String> v : variants.entrySet()) {
            double[] m = millis.get(v.getKey());
            Arrays.sort(m);
            out.add(new Result(v.getKey(), v.getValue(), m));
        }
        return out;
    }

    private static Map<String, String> variants() {
        Map<String, String> variants = new LinkedHashMap<>();
        variants.put("no filter", null);
        variants.put("list of 1 % of people", Watchlists.filterAnyOf(List.of("small")));
        variants.put("list of 50 % of people", Watchlists.filterAnyOf(List.of("half")));
        variants.put("either list", Watchlists.filterAnyOf(List.of("small", "half")));
        return variants;
    }

    static double percentile(double[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
    }
}
