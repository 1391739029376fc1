package io.facestream.gallery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * What every {@link FaceGallery} store must do, run against a real server by each store's ITCase.
 */
abstract class FaceGalleryContract {
    static final String MODEL = "test-embedder-128";
    static final int DIM = 128;
    private static final AtomicInteger GALLERIES = new AtomicInteger();

    final Synthetic synthetic = new Synthetic(42, DIM);
    final float[] monica = synthetic.unit();
    final float[] ross = synthetic.unit();
    final float[] chandler = synthetic.unit();
    FaceGallery gallery;

    /** Opens gallery {@code name} on the store under test. */
    abstract FaceGallery open(String name);

    /** A search filter, in the store's syntax, admitting only {@code identity}. */
    abstract String onlyIdentity(String identity);

    @BeforeEach
    void openGallery(TestInfo test) {
        String method = test.getTestMethod().orElseThrow().getName();
        String name = "t" + GALLERIES.incrementAndGet() + "-" + method;
        gallery = open(name.substring(0, Math.min(64, name.length())));
    }

    @AfterEach
    void dropGallery() {
        gallery.drop();
        gallery.close();
    }

    List<GalleryEntry> friends() {
        List<GalleryEntry> entries = new ArrayList<>();
        entries.addAll(synthetic.person("monica", monica, 3, MODEL));
        entries.addAll(synthetic.person("ross", ross, 2, MODEL));
        entries.addAll(synthetic.person("chandler", chandler, 4, MODEL));
        return entries;
    }

    @Test
    void findsTheEnrolledPersonAndListsEveryoneWithCounts() {
        assertThat(gallery.add(friends())).isEqualTo(9);

        List<Match> hits = gallery.search(MODEL, synthetic.near(ross, 0.3), 3);

        assertThat(hits).hasSize(3);
        assertThat(hits.get(0).identity()).isEqualTo("ross");
        assertThat(hits.get(0).similarity()).isBetween(0.8f, 1.0f);
        assertThat(hits.get(0).source()).startsWith("ross_");
        assertThat(hits)
                .isSortedAccordingTo((a, b) -> Float.compare(b.similarity(), a.similarity()));
        // By name, whatever order the store keeps them in.
        assertThat(gallery.identities())
                .containsExactly(entry("chandler", 4L), entry("monica", 3L), entry("ross", 2L));
        assertThat(gallery.count()).isEqualTo(9);
        GalleryInfo info = gallery.info();
        assertThat(info.embedderModel()).isEqualTo(MODEL);
        assertThat(info.dimension()).isEqualTo(DIM);
    }

    @Test
    void reAddingTheSameEntriesAddsNothing() {
        List<GalleryEntry> entries = friends();
        gallery.add(entries);

        assertThat(gallery.add(entries)).isZero();
        assertThat(gallery.count()).isEqualTo(9);
        assertThat(gallery.search(MODEL, monica, 9)).hasSize(9);
    }

    @Test
    void deletingAnIdentityRemovesAllItsEntriesAndItIsNeverMatchedAgain() {
        gallery.add(friends());

        assertThat(gallery.deleteIdentity("chandler")).isEqualTo(4);

        assertThat(gallery.count()).isEqualTo(5);
        assertThat(gallery.identities()).doesNotContainKey("chandler");
        assertThat(gallery.search(MODEL, chandler, 10))
                .hasSize(5)
                .noneMatch(m -> m.identity().equals("chandler"));
        assertThat(gallery.deleteIdentity("chandler")).isZero();
    }

    @Test
    void aGalleryEmptiedByDeletionsAnswersWithNoMatchesAndKeepsItsModel() {
        gallery.add(synthetic.person("ross", ross, 2, MODEL));

        gallery.deleteIdentity("ross");

        assertThat(gallery.search(MODEL, ross, 3)).isEmpty();
        assertThat(gallery.identities()).isEmpty();
        assertThat(gallery.info().embedderModel()).isEqualTo(MODEL);
    }

    @Test
    void dropRemovesTheGalleryAndWhatItWasCreatedWith() {
        gallery.add(friends());

        assertThat(gallery.drop()).isTrue();

        assertThat(gallery.exists()).isFalse();
        assertThat(gallery.count()).isZero();
        assertThatThrownBy(() -> gallery.info())
                .isInstanceOf(GalleryException.class)
                .hasMessageContaining("does not exist");
        assertThat(gallery.drop()).isFalse();
        // A dropped gallery may be re-created with another model.
        Synthetic other = new Synthetic(7, 512);
        gallery.add(List.of(Synthetic.entry("joey", "joey_1.jpg", other.unit(), "other-512")));
        assertThat(gallery.info().dimension()).isEqualTo(512);
    }

    @Test
    void refusesToSearchOrAddWithAnotherModelOrDimension() {
        gallery.add(friends());
        float[] wide = new Synthetic(1, 512).unit();

        assertThatThrownBy(() -> gallery.search("arcface-512", wide, 3))
                .isInstanceOf(GalleryException.class)
                .hasMessageContaining("'" + MODEL + "' (128-d)")
                .hasMessageContaining("'arcface-512' (512-d)");
        assertThatThrownBy(() -> gallery.search("sface-128", monica, 3))
                .isInstanceOf(GalleryException.class)
                .hasMessageContaining(MODEL)
                .hasMessageContaining("sface-128");
        assertThatThrownBy(
                        () ->
                                gallery.add(
                                        List.of(
                                                Synthetic.entry(
                                                        "joey", "joey.jpg", wide, "arcface-512"))))
                .isInstanceOf(GalleryException.class)
                .hasMessageContaining("refusing to add");
        assertThat(gallery.count()).isEqualTo(9);
    }

    @Test
    void rejectsMalformedVectorsWithAClearMessage() {
        float[] nan = monica.clone();
        nan[5] = Float.NaN;
        float[] inf = monica.clone();
        inf[0] = Float.POSITIVE_INFINITY;

        assertThatThrownBy(() -> Synthetic.entry("x", "x.jpg", nan, MODEL))
                .isInstanceOf(GalleryException.class)
                .hasMessageContaining("element 5")
                .hasMessageContaining("NaN");
        assertThatThrownBy(() -> new GalleryEntry("id", "x", MODEL, 512, "", 0, monica))
                .isInstanceOf(GalleryException.class)
                .hasMessageContaining("dimension says 512 but the vector has 128");
        gallery.add(friends());
        assertThatThrownBy(() -> gallery.search(MODEL, inf, 3))
                .isInstanceOf(GalleryException.class)
                .hasMessageContaining("Infinity");
        assertThatThrownBy(() -> gallery.search(MODEL, new float[DIM], 3))
                .isInstanceOf(GalleryException.class)
                .hasMessageContaining("all zeros");
    }

    @Test
    void identityNamesWithSpacesQuotesAndUnicodeRoundTrip() {
        String name = "Zoë O'Brien \"Z\" 李小龙 🙂";
        gallery.add(synthetic.person(name, ross, 2, MODEL));

        assertThat(gallery.search(MODEL, ross, 1).get(0).identity()).isEqualTo(name);
        assertThat(gallery.identities()).containsExactlyEntriesOf(Map.of(name, 2L));
        assertThat(gallery.deleteIdentity(name)).isEqualTo(2);
    }

    @Test
    void aFilterRestrictsTheSearchToMatchingEntries() {
        gallery.add(friends());

        List<Match> hits = gallery.search(MODEL, ross, 5, onlyIdentity("monica"));

        assertThat(hits).hasSize(3).allMatch(m -> m.identity().equals("monica"));
    }

    @Test
    void searchingAGalleryThatWasNeverCreatedFailsClearly() {
        assertThatThrownBy(() -> gallery.search(MODEL, monica, 3))
                .isInstanceOf(GalleryException.class)
                .hasMessageContaining("'" + gallery.name() + "' does not exist");
    }
}
