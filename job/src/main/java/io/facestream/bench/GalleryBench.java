package io.facestream.bench;

import io.facestream.gallery.FaceGallery;
import io.facestream.gallery.Galleries;
import io.facestream.gallery.GalleryOptions;
import io.facestream.gallery.GalleryOptions.Backend;
import io.facestream.gallery.GalleryOptions.Quantization;
import io.facestream.testing.LocalRedis;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import redis.clients.jedis.RedisClient;

/**
 * Gallery benchmark on synthetic embeddings: add throughput and lookup latency at growing gallery
 * sizes, against a local Redis 8 ({@link LocalRedis}) through the production code path ({@link
 * FaceGallery#add} in MULTI/EXEC batches, {@link FaceGallery#search} with its model guard).
 *
 * <p>Data: 1000 "people" (random unit directions), entries and queries are noisy copies of them
 * (cosine to their person about 0.9), like face embeddings rather than uniform noise.
 *
 * <p>Usage: {@code GalleryBench [sizes=1000,100000] [queries=1000] [dim=512] [quant=noquant|q8]
 * [k=5]}; prints a Markdown table.
 */
public final class GalleryBench {
    private static final int PEOPLE = 1000;

    private GalleryBench() {}

    public static void main(String[] args) {
        int[] sizes =
                Arrays.stream(arg(args, "sizes", "1000,100000").split(","))
                        .mapToInt(Integer::parseInt)
                        .toArray();
        int queries = Integer.parseInt(arg(args, "queries", "1000"));
        int dim = Integer.parseInt(arg(args, "dim", "512"));
        int k = Integer.parseInt(arg(args, "k", "5"));
        Quantization quant = Quantization.fromConfig(arg(args, "quant", "noquant"));
        Random random = new Random(7);
        float[][] people = new float[PEOPLE][];
        for (int p = 0; p < PEOPLE; p++) {
            people[p] = SyntheticFaces.unit(random, dim);
        }
        System.out.printf(
                "| entries | dim | quantization | add (entries/s) | lookup median (ms) | lookup p99"
                        + " (ms) |%n|---|---|---|---|---|---|%n");
        try (LocalRedis redis = LocalRedis.start();
                RedisClient client = RedisClient.create(redis.host(), redis.port());
                FaceGallery gallery =
                        Galleries.open(
                                client, "bench", new GalleryOptions(Backend.VECTOR_SET, quant))) {
            long filled = 0;
            for (int size : sizes) {
                long start = System.nanoTime();
                while (filled < size) {
                    int n = (int) Math.min(1000, size - filled);
                    gallery.add(SyntheticFaces.batch(random, people, filled, n));
                    filled += n;
                }
                double addSeconds = (System.nanoTime() - start) / 1e9;
                double addRate = added(sizes, size) / addSeconds;
                double[] latencies = lookups(gallery, random, people, queries, k);
                System.out.printf(
                        Locale.ROOT,
                        "| %d | %d | %s | %.0f | %.3f | %.3f |%n",
                        size,
                        dim,
                        quant.configValue(),
                        addRate,
                        percentile(latencies, 0.50),
                        percentile(latencies, 0.99));
            }
            gallery.drop();
        }
    }

    /** Entries added to go from the previous size to {@code size}. */
    private static long added(int[] sizes, int size) {
        long previous = 0;
        for (int s : sizes) {
            if (s == size) {
                return size - previous;
            }
            previous = s;
        }
        return size;
    }

    private static double[] lookups(
            FaceGallery gallery, Random random, float[][] people, int queries, int k) {
        for (int i = 0; i < 100; i++) {
            gallery.search(
                    SyntheticFaces.MODEL,
                    SyntheticFaces.near(random, people[random.nextInt(people.length)]),
                    k);
        }
        double[] millis = new double[queries];
        for (int i = 0; i < queries; i++) {
            float[] query = SyntheticFaces.near(random, people[random.nextInt(people.length)]);
            long start = System.nanoTime();
            gallery.search(SyntheticFaces.MODEL, query, k);
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        return millis;
    }

    private static double percentile(double[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
    }

    private static String arg(String[] args, String name, String fallback) {
        for (String a : args) {
            if (a.startsWith(name + "=")) {
                return a.substring(name.length() + 1);
            }
        }
        return fallback;
    }
}
