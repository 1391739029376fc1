package io.facestream.gallery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.facestream.analyze.AnalyzedFace;
import io.facestream.analyze.FaceAnalyzer;
import io.facestream.detect.DetectorOptions;
import io.facestream.identify.IdentifiedFace;
import io.facestream.identify.Identifier;
import io.facestream.model.ModelOptions;
import io.facestream.testing.LocalRedis;
import io.facestream.testing.TestData;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * Identity templates on a real Redis 8 with the default models and the shared Friends photos: the
 * template follows enrolment, deletion and list changes, equals the normalised mean of the entries,
 * is restricted by {@code FILTER}, is built for a gallery enrolled before templates existed, and
 * {@code match.decision=template} names the right people.
 */
class IdentityTemplatesITCase {
    static LocalRedis redis;
    static RedisClient client;
    static FaceAnalyzer analyzer;
    static String model;

    /** Photo name (e.g. Ross_2) to its face's real embedding. */
    static final Map<String, float[]> FACES = new LinkedHashMap<>();

    FaceGallery gallery;
    String key;

    @BeforeAll
    static void start() throws Exception {
        redis = LocalRedis.start();
        client = RedisClient.create(redis.host(), redis.port());
        analyzer = FaceAnalyzer.open(null, null, ModelOptions.DEFAULT, DetectorOptions.DEFAULT, 8);
        model = analyzer.embedder().spec().vectorSpace();
        for (String photo :
                List.of(
                        "Ross_1",
                        "Ross_2",
                        "Ross_3",
                        "Rachel_1",
                        "Rachel_2",
                        "Rachel_3",
                        "Monica_1",
                        "Monica_2",
                        "Joey_1",
                        "Joey_2")) {
            var file = TestData.data("friends/gallery/" + photo + ".jpg");
            List<AnalyzedFace> faces = analyzer.analyze(Files.readAllBytes(file), photo);
            assertThat(faces).as(photo).hasSize(1);
            FACES.put(photo, faces.get(0).embedding());
        }
    }

    @AfterAll
    static void stop() {
        analyzer.close();
        client.close();
        redis.close();
    }

    @BeforeEach
    void open() {
        gallery =
                Galleries.open(
                        client,
                        "tpl",
                        GalleryOptions.defaults().withBackend(GalleryOptions.Backend.VECTOR_SET));
        key = RedisGallery.galleryKey("tpl");
    }

    @AfterEach
    void drop() {
        gallery.drop();
        gallery.close();
    }

    private void enrol(String... photos) {
        List<GalleryEntry> entries = new ArrayList<>();
        for (String p : photos) {
            float[] v = FACES.get(p);
            entries.add(
                    new GalleryEntry(
                            "id-" + p, p.substring(0, p.indexOf('_')), model, v.length, p, 1L, v));
        }
        gallery.add(entries);
    }

    /** What the template must be: the re-normalised mean of the unit-length embeddings. */
    private static float[] expectedTemplate(String... photos) {
        double[] sum = new double[FACES.get(photos[0]).length];
        for (String p : photos) {
            float[] v = FACES.get(p);
            double n = 0;
            for (float x : v) {
                n += x * x;
            }
            for (int d = 0; d < sum.length; d++) {
                sum[d] += v[d] / Math.sqrt(n);
            }
        }
        double n = 0;
        for (double x : sum) {
            n += x * x;
        }
        float[] t = new float[sum.length];
        for (int d = 0; d < t.length; d++) {
            t[d] = (float) (sum[d] / Math.sqrt(n));
        }
        return t;
    }

    private void assertTemplate(String identity, String... photos) {
        List<Double> stored = client.vemb(key + ":templates", identity);
        assertThat(stored).as("template of %s", identity).isNotNull();
        float[] expected = expectedTemplate(photos);
        assertThat(stored).hasSize(expected.length);
        for (int d = 0; d < expected.length; d++) {
            assertThat(stored.get(d))
                    .as("%s[%d]", identity, d)
                    .isCloseTo(expected[d], within(1e-5));
        }
        assertThat(client.vgetattr(key + ":templates", identity))
                .contains("\"entries\":" + photos.length);
    }

    private List<String> templateNames(String photo, String filter) {
        return gallery.searchTemplates(model, FACES.get(photo), 10, filter).stream()
                .map(Match::identity)
                .toList();
    }

    @Test
    void templateIsTheNormalisedMeanOfTheEntriesAndFollowsEnrolDeleteAndListChanges() {
        enrol("Ross_1", "Ross_2", "Rachel_1", "Rachel_2", "Joey_1");
        assertTemplate("Ross", "Ross_1", "Ross_2");
        assertTemplate("Rachel", "Rachel_1", "Rachel_2");
        assertTemplate("Joey", "Joey_1");

        // A later enrolment of Ross moves his template; the others stay as they were.
        enrol("Ross_3");
        assertTemplate("Ross", "Ross_1", "Ross_2", "Ross_3");
        assertTemplate("Rachel", "Rachel_1", "Rachel_2");
        // Enrolling a photo again replaces its entry: it counts once in the template.
        enrol("Ross_3", "Ross_1");
        assertTemplate("Ross", "Ross_1", "Ross_2", "Ross_3");

        // One match per identity, its similarity the cosine with the template.
        List<Match> hits = gallery.searchTemplates(model, FACES.get("Rachel_3"), 5, null);
        assertThat(hits).extracting(Match::identity).containsExactly("Rachel", "Ross", "Joey");
        double cosine = 0;
        float[] t = expectedTemplate("Rachel_1", "Rachel_2");
        for (int d = 0; d < t.length; d++) {
            cosine += t[d] * FACES.get("Rachel_3")[d];
        }
        assertThat((double) hits.get(0).similarity()).isCloseTo(cosine, within(1e-4));
        assertThat(hits.get(0).source()).isEqualTo("template of 2 entries");

        // Deleting an identity removes its template: a search can no longer name Joey.
        assertThat(gallery.deleteIdentity("Joey")).isEqualTo(1);
        assertThat(client.vismember(key + ":templates", "Joey")).isFalse();
        assertThat(client.hexists(key + ":template-sums", "Joey")).isFalse();
        assertThat(templateNames("Joey_2", null)).containsExactlyInAnyOrder("Ross", "Rachel");

        // Lists are copied into the template's attributes, and FILTER restricts template search:
        // among vip members only, a face of Rachel finds Ross, however far down he ranks.
        gallery.addToLists("Ross", List.of("vip"));
        assertThat(client.vgetattr(key + ":templates", "Ross")).contains("\"lists\":[\"vip\"]");
        assertTemplate("Ross", "Ross_1", "Ross_2", "Ross_3");
        assertThat(templateNames("Rachel_3", null).get(0)).isEqualTo("Rachel");
        assertThat(templateNames("Rachel_3", Watchlists.filterAnyOf(List.of("vip"))))
                .containsExactly("Ross");
        gallery.removeFromLists("Ross", List.of("vip"));
        assertThat(templateNames("Rachel_3", Watchlists.filterAnyOf(List.of("vip")))).isEmpty();

        // Dropping the gallery leaves no template key behind.
        gallery.drop();
        assertThat(client.exists(key + ":templates")).isFalse();
        assertThat(client.exists(key + ":template-sums")).isFalse();
    }

    @Test
    void aGalleryEnrolledBeforeTemplatesGetsThemOnItsFirstTemplateSearch() {
        enrol("Ross_1", "Ross_2", "Rachel_1", "Rachel_2", "Monica_1");
        // What a gallery written before templates existed looks like: no set, no mark.
        client.del(key + ":templates", key + ":template-sums");
        client.hdel(key + ":meta", IdentityTemplates.MARKER);
        assertThat(gallery.search(model, FACES.get("Ross_3"), 3).get(0).identity())
                .isEqualTo("Ross");
        assertThat(client.exists(key + ":templates")).isFalse();

        // The first template search builds every template, then answers from them.
        List<Match> hits = gallery.searchTemplates(model, FACES.get("Monica_2"), 3, null);
        assertThat(hits).extracting(Match::identity).first().isEqualTo("Monica");
        assertThat(client.hget(key + ":meta", IdentityTemplates.MARKER)).isEqualTo("2");
        assertThat(client.vcard(key + ":templates")).isEqualTo(3);
        assertTemplate("Ross", "Ross_1", "Ross_2");
        assertTemplate("Rachel", "Rachel_1", "Rachel_2");

        // A first write to such a gallery builds all of them too, not only the identity written.
        client.del(key + ":templates", key + ":template-sums");
        client.hdel(key + ":meta", IdentityTemplates.MARKER);
        enrol("Joey_1");
        assertThat(client.vcard(key + ":templates")).isEqualTo(4);
        assertTemplate("Rachel", "Rachel_1", "Rachel_2");

        // rebuild-templates repairs a template lost or changed by other means.
        client.vrem(key + ":templates", "Ross");
        assertThat(gallery.rebuildTemplates()).isEqualTo(4);
        assertTemplate("Ross", "Ross_1", "Ross_2");
    }

    @Test
    void identifyWithTemplatesNamesThePeopleOfTheSharedPhotos() throws Exception {
        // Enrolled the way `enroll` does, from the whole Friends gallery.
        new io.facestream.enroll.Enroller(
                        analyzer, gallery, io.facestream.enroll.IdentityNaming.AUTO, false)
                .enroll(TestData.data("friends/gallery"), (d, t, f) -> {});
        float threshold = (float) analyzer.embedder().spec().threshold("minSimilarity", 0.4);
        Identifier template =
                new Identifier(
                        analyzer,
                        gallery,
                        new IdentityDecider(threshold, 0.1f),
                        5,
                        MatchDecision.TEMPLATE);
        assertThat(names(template, "friends/scenes/Friends1.jpg"))
                .containsExactly("Phoebe", "Rachel", "Monica");
        assertThat(names(template, "friends/scenes/Friends.jpg"))
                .containsExactly("Phoebe", "Chandler", "Monica", "Ross", "Joey", "Rachel");
        assertThat(names(template, "friends/scenes/t1.jpg"))
                .containsExactly("Rachel", "Monica", "Ross", "Chandler", "Joey", "Phoebe");
    }

    private static List<String> names(Identifier id, String photo) throws Exception {
        byte[] bytes = Files.readAllBytes(TestData.data(photo));
        List<IdentifiedFace> faces = new ArrayList<>(id.identify(bytes, photo));
        faces.sort(Comparator.comparingDouble(f -> f.face().face().x1()));
        List<String> out = new ArrayList<>();
        for (IdentifiedFace f : faces) {
            System.out.printf("%s: %s %.3f%n", photo, f.label(), f.decision().similarity());
            out.add(f.label());
        }
        return out;
    }
}
