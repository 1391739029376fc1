package io.facestream.gallery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facestream.analyze.AnalyzedFace;
import io.facestream.analyze.FaceAnalyzer;
import io.facestream.detect.DetectorOptions;
import io.facestream.model.ModelOptions;
import io.facestream.testing.LocalRedis;
import io.facestream.testing.TestData;
import java.net.URI;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * Unknown pseudonyms on a real Redis 8 with real embeddings of real photos: the same stranger on
 * two cameras is one pseudonym, two strangers are two, and expiry, forget and promote leave no
 * vector or attribute of the pseudonym behind (checked with VCARD, VSIM and VGETATTR).
 */
class UnknownRegistryITCase {
    static final UnknownOptions OPTIONS = new UnknownOptions(0.4f, Duration.ofHours(1), 5);
    static LocalRedis redis;
    static RedisClient r;
    static String model;
    static float[] obamaA;
    static float[] obamaB;
    static float[] obamaC;
    static float[] biden;

    UnknownRegistry registry;

    @BeforeAll
    static void embed() {
        redis = LocalRedis.start();
        r = RedisClient.create(URI.create(redis.url()));
        try (FaceAnalyzer a =
                FaceAnalyzer.open(null, null, ModelOptions.DEFAULT, DetectorOptions.DEFAULT, 8)) {
            model = a.embedder().spec().id();
            obamaA = largestFace(a, "people/gallery/obama/obama_a.jpg");
            obamaB = largestFace(a, "people/gallery/obama/obama_b.jpg");
            obamaC = largestFace(a, "people/gallery/obama/obama_c.jpg");
            biden = largestFace(a, "people/gallery/biden/biden_a.jpg");
        }
    }

    @AfterAll
    static void stop() {
        r.close();
        redis.close();
    }

    @BeforeEach
    void clean() {
        r.flushAll();
        registry = new UnknownRegistry(r, "cams", OPTIONS);
    }

    static float[] largestFace(FaceAnalyzer a, String photo) {
        List<AnalyzedFace> faces = a.analyze(TestData.data(photo));
        return faces.stream()
                .max(
                        Comparator.comparingDouble(
                                f ->
                                        (f.face().x2() - f.face().x1())
                                                * (f.face().y2() - f.face().y1())))
                .orElseThrow()
                .embedding();
    }

    Sighting seen(String camera, long track, long first, float[] template) {
        return new Sighting(camera, track, first, first + 4_000, model, template);
    }

    static double cos(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    @Test
    void thePhotosAreOnEitherSideOfTheThreshold() {
        System.out.printf(
                "cosine obama_a/obama_b %.3f, obama_a/obama_c %.3f, obama_a/biden_a %.3f%n",
                cos(obamaA, obamaB), cos(obamaA, obamaC), cos(obamaA, biden));
        assertThat(cos(obamaA, obamaB)).isGreaterThan(OPTIONS.minSimilarity());
        assertThat(cos(obamaA, biden)).isLessThan(OPTIONS.minSimilarity());
    }

    @Test
    void sameStrangerOnTwoCamerasIsOnePseudonymAndAnotherStrangerAnother() {
        String onA = registry.assign(seen("cam-a", 1, 10_000, obamaA), 0);
        String onB = registry.assign(seen("cam-b", 7, 50_000, obamaB), 0);
        String other = registry.assign(seen("cam-a", 2, 20_000, biden), 0);

        assertThat(onA).startsWith("unknown-").hasSize("unknown-".length() + 12);
        assertThat(onB).isEqualTo(onA);
        assertThat(other).startsWith("unknown-").isNotEqualTo(onA);
        Pseudonym p = registry.get(onA).orElseThrow();
        assertThat(p.appearances()).isEqualTo(2);
        assertThat(p.cameras()).containsExactly(Map.entry("cam-a", 1L), Map.entry("cam-b", 1L));
        assertThat(p.firstSeenMillis()).isEqualTo(10_000);
        assertThat(p.lastSeenMillis()).isEqualTo(54_000);
        assertThat(p.vectors()).isEqualTo(2);
        assertThat(p.expiresAtMillis()).isEqualTo(Duration.ofHours(1).toMillis());
        assertThat(registry.list()).extracting(Pseudonym::id).containsExactlyInAnyOrder(onA, other);
    }

    @Test
    void assigningTheSameAppearanceAgainChangesNothing() {
        String first = registry.assign(seen("cam-a", 1, 10_000, obamaA), 0);
        // A job restored from a checkpoint ends the same track again.
        String again = registry.assign(seen("cam-a", 1, 10_000, obamaA), 5_000);

        assertThat(again).isEqualTo(first);
        Pseudonym p = registry.get(first).orElseThrow();
        assertThat(p.appearances()).isEqualTo(1);
        assertThat(p.vectors()).isEqualTo(1);
        assertThat(r.vcard(registry.setKey())).isEqualTo(1);
    }

    @Test
    void expiryRemovesEveryVectorAndAttributeOfExpiredPseudonymsOnly() {
        String obama = registry.assign(seen("cam-a", 1, 10_000, obamaA), 0);
        registry.assign(seen("cam-b", 2, 60_000, obamaB), 0);
        String other = registry.assign(seen("cam-a", 3, 20_000, biden), 1_000);
        long ttl = OPTIONS.ttl().toMillis();
        List<String> obamaElements = elements(obama);
        assertThat(obamaElements).hasSize(2);

        assertThat(registry.expire(ttl - 1)).isEmpty();
        assertThat(registry.expire(ttl)).containsExactly(obama);

        assertNoTraceOf(obama, obamaElements, obamaA);
        assertThat(r.vcard(registry.setKey())).isEqualTo(1);
        assertThat(registry.get(other)).isPresent();
        assertThat(registry.list()).extracting(Pseudonym::id).containsExactly(other);
    }

    @Test
    void forgetRemovesEveryVectorAndAttribute() {
        String obama = registry.assign(seen("cam-a", 1, 10_000, obamaA), 0);
        registry.assign(seen("cam-b", 2, 60_000, obamaB), 0);
        List<String> elements = elements(obama);

        assertThat(registry.forget(obama)).isTrue();

        assertNoTraceOf(obama, elements, obamaA);
        assertThat(r.exists(registry.setKey())).isFalse();
        assertThat(r.vcard(registry.setKey())).isZero();
        assertThat(r.keys("facestream:*")).isEmpty();
        assertThat(registry.forget(obama)).isFalse();
        // The same appearance after a forget is a new stranger again.
        assertThat(registry.assign(seen("cam-a", 1, 10_000, obamaA), 0)).isEqualTo(obama);
        assertThat(registry.get(obama).orElseThrow().appearances()).isEqualTo(1);
    }

    @Test
    void promoteMakesThePersonIdentifiedByNameAndForgetsThePseudonym() {
        String obama = registry.assign(seen("cam-a", 1, 10_000, obamaA), 0);
        registry.assign(seen("cam-b", 2, 60_000, obamaB), 0);
        List<String> elements = elements(obama);
        try (FaceGallery g = Galleries.open(r, "cams", GalleryOptions.defaults())) {
            assertThat(registry.promote(obama, "Barack Obama", g, 99)).isEqualTo(2);

            List<Match> top = g.search(model, obamaC, 1);
            assertThat(top).hasSize(1);
            assertThat(top.get(0).identity()).isEqualTo("Barack Obama");
            assertThat(top.get(0).similarity()).isGreaterThan(OPTIONS.minSimilarity());
            assertThat(g.identities()).containsExactly(Map.entry("Barack Obama", 2L));
        }
        assertNoTraceOf(obama, elements, obamaA);
        assertThatThrownBy(() -> registry.promote(obama, "X", null, 0))
                .isInstanceOf(GalleryException.class)
                .hasMessageContaining("no unknown pseudonym");
    }

    @Test
    void refusesTemplatesOfAnotherModel() {
        registry.assign(seen("cam-a", 1, 10_000, obamaA), 0);
        assertThatThrownBy(
                        () ->
                                registry.assign(
                                        new Sighting("cam-a", 2, 0, 0, "other-model", biden), 0))
                .isInstanceOf(GalleryException.class)
                .hasMessageContaining("other-model");
    }

    private List<String> elements(String pseudonym) {
        return r.hkeys(registry.pseudonymKey(pseudonym)).stream()
                .filter(f -> f.startsWith("e:"))
                .map(f -> f.substring(2))
                .toList();
    }

    private void assertNoTraceOf(String pseudonym, List<String> elements, float[] template) {
        String set = registry.setKey();
        for (String e : elements) {
            assertThat(r.vgetattr(set, e)).as("attributes of %s", e).isNull();
        }
        if (r.exists(set)) {
            assertThat(r.vsim(set, template)).doesNotContainAnyElementsOf(elements);
            assertThat(r.vsim(set, template))
                    .allSatisfy(e -> assertThat(e).doesNotStartWith(pseudonym));
        }
        assertThat(r.exists(registry.pseudonymKey(pseudonym))).isFalse();
        assertThat(r.zscore(set + ":expiry", pseudonym)).isNull();
        assertThat(r.hvals(set + ":tracks")).doesNotContain(pseudonym);
        assertThat(registry.get(pseudonym)).isEmpty();
    }
}
