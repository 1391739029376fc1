package io.facestream.gallery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.facestream.embed.Vectors;
import io.facestream.gallery.GalleryOptions.Backend;
import io.facestream.gallery.GalleryOptions.Quantization;
import io.facestream.testing.LocalRedis;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/** The gallery contract and vector-set specifics, against a real Redis 8 started by the test. */
class VectorSetGalleryITCase extends FaceGalleryContract {
    static LocalRedis redis;
    static RedisClient client;

    @BeforeAll
    static void startRedis() {
        redis = LocalRedis.start();
        client = RedisClient.create(redis.host(), redis.port());
    }

    @AfterAll
    static void stopRedis() {
        if (client != null) {
            client.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Override
    FaceGallery open(String name) {
        return Galleries.open(
                client, name, GalleryOptions.defaults().withBackend(Backend.VECTOR_SET));
    }

    @Override
    String onlyIdentity(String identity) {
        return ".identity == \"" + identity + "\"";
    }

    @Test
    void scoresConvertedToCosineEqualBruteForceAndRankTheSame() {
        Synthetic wide = new Synthetic(2024, 512);
        List<GalleryEntry> entries = new ArrayList<>();
        List<float[]> centers = new ArrayList<>();
        for (int p = 0; p < 40; p++) {
            centers.add(wide.unit());
            entries.addAll(wide.person("p" + p, centers.get(p), 10, "arc-512"));
        }
        gallery.add(entries);

        for (int q = 0; q < 20; q++) {
            float[] query = wide.near(centers.get(q * 2), 0.5);
            List<Match> hits = gallery.search("arc-512", query, 10);

            List<GalleryEntry> truth = new ArrayList<>(entries);
            truth.sort(
                    Comparator.comparingDouble(
                            (GalleryEntry e) -> -Vectors.cosine(query, e.vector())));
            assertThat(hits)
                    .extracting(Match::entryId)
                    .containsExactlyElementsOf(
                            truth.subList(0, 10).stream().map(GalleryEntry::entryId).toList());
            for (int i = 0; i < hits.size(); i++) {
                assertThat((double) hits.get(i).similarity())
                        .isCloseTo(Vectors.cosine(query, truth.get(i).vector()), within(1e-5));
            }
        }
        // Far from every entry, too: cosines near 0, where (1 + cos) / 2 is at its coarsest.
        float[] stranger = wide.unit();
        for (Match m : gallery.search("arc-512", stranger, 5)) {
            GalleryEntry e =
                    entries.stream()
                            .filter(x -> x.entryId().equals(m.entryId()))
                            .findFirst()
                            .orElseThrow();
            assertThat((double) m.similarity())
                    .isCloseTo(Vectors.cosine(stranger, e.vector()), within(1e-5));
        }
    }

    @Test
    void q8GalleriesKeepCosineWithinTwoHundredths() {
        try (FaceGallery q8 =
                Galleries.open(
                        client,
                        gallery.name() + "-q8",
                        GalleryOptions.defaults().withQuantization(Quantization.Q8))) {
            List<GalleryEntry> entries = friends();
            q8.add(entries);
            float[] query = synthetic.near(monica, 0.3);

            List<Match> hits = q8.search(MODEL, query, 3);

            assertThat(q8.info().quantization()).isEqualTo(Quantization.Q8);
            assertThat(hits).allMatch(m -> m.identity().equals("monica"));
            for (Match m : hits) {
                GalleryEntry e =
                        entries.stream()
                                .filter(x -> x.entryId().equals(m.entryId()))
                                .findFirst()
                                .orElseThrow();
                assertThat((double) m.similarity())
                        .isCloseTo(Vectors.cosine(query, e.vector()), within(0.02));
            }
            q8.drop();
        }
    }

    @Test
    void aKeyOfAnotherTypeAtTheGalleryKeyIsAClearError() {
        String key = RedisGallery.galleryKey(gallery.name());
        client.set(key, "not a vector set");
        try {
            assertThatThrownBy(() -> gallery.add(friends()))
                    .isInstanceOf(GalleryException.class)
                    .hasMessageContaining("key '" + key + "' holds a string, not a vectorset");
            assertThat(gallery.count()).isZero();
        } finally {
            client.del(key);
        }
    }

    @Test
    void autoDetectionPicksVectorSetsOnRedis8() {
        try (FaceGallery auto = Galleries.open(client, gallery.name(), GalleryOptions.defaults())) {
            assertThat(auto).isInstanceOf(VectorSetGallery.class);
        }
    }

    @Test
    void askingForTheQueryEngineOnPlainRedis8NamesBothBackends() {
        assertThatThrownBy(
                        () ->
                                Galleries.open(
                                        client,
                                        gallery.name(),
                                        GalleryOptions.defaults()
                                                .withBackend(Backend.QUERY_ENGINE)))
                .isInstanceOf(GalleryException.class)
                .hasMessageContaining("lacks gallery.backend=query-engine")
                .hasMessageContaining("FT.SEARCH: no")
                .hasMessageContaining("gallery.backend=vectorset");
    }
}
