package io.facestream.gallery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.facestream.gallery.GalleryOptions.Backend;
import io.facestream.testing.LocalRedis;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.RedisClient;

/** Watchlists on a real Redis 8: attributes, {@code VSIM ... FILTER}, checked names, versions. */
class WatchlistsITCase {
    static final String MODEL = "test-embedder-128";
    static LocalRedis redis;
    static RedisClient client;

    final Synthetic synthetic = new Synthetic(7, 128);
    final float[] monica = synthetic.unit();
    final float[] ross = synthetic.unit();
    final float[] chandler = synthetic.unit();
    FaceGallery gallery;
    String key;

    @BeforeAll
    static void startRedis() {
        redis = LocalRedis.start();
        client = RedisClient.create(redis.host(), redis.port());
    }

    @AfterAll
    static void stopRedis() {
        client.close();
        redis.close();
    }

    @BeforeEach
    void enrol() {
        gallery =
                Galleries.open(
                        client, "lists", GalleryOptions.defaults().withBackend(Backend.VECTOR_SET));
        key = RedisGallery.galleryKey("lists");
        List<GalleryEntry> entries = new ArrayList<>();
        entries.addAll(synthetic.person("monica", monica, 3, MODEL));
        entries.addAll(synthetic.person("ross", ross, 2, MODEL));
        entries.addAll(synthetic.person("chandler", chandler, 2, MODEL));
        gallery.add(entries);
    }

    @AfterEach
    void drop() {
        gallery.drop();
        gallery.close();
    }

    private String anEntryOf(String identity) {
        return gallery.search(MODEL, identity.equals("ross") ? ross : monica, 1).get(0).entryId();
    }

    @Test
    void listsAreElementAttributesAndTheFilterRestrictsTheSearchItself() {
        assertThat(gallery.addToLists("ross", List.of("vip", "staff")))
                .containsExactly("staff", "vip");
        gallery.addToLists("monica", List.of("staff"));

        // Every entry of ross carries the lists as a JSON array the FILTER reads.
        String attrs = client.vgetattr(key, anEntryOf("ross"));
        assertThat(attrs).contains("\"lists\":[\"staff\",\"vip\"]");
        // A face of monica searched among vip members finds ross, not monica: the restriction is
        // in the search, so the nearest vip member is found however far down the whole ranking.
        List<Match> vip =
                gallery.search(
                        MODEL,
                        synthetic.near(monica, 0.3),
                        3,
                        Watchlists.filterAnyOf(Set.of("vip")));
        assertThat(vip).isNotEmpty().allMatch(m -> m.identity().equals("ross"));
        assertThat(vip.get(0).lists()).containsExactly("staff", "vip");
        List<Match> staff =
                gallery.search(
                        MODEL,
                        synthetic.near(chandler, 0.3),
                        10,
                        Watchlists.filterAnyOf(List.of("staff", "nobody-here")));
        assertThat(staff).extracting(Match::identity).containsOnly("monica", "ross").hasSize(5);
        assertThat(gallery.watchlists())
                .containsExactly(
                        entry("monica", new TreeSet<>(Set.of("staff"))),
                        entry("ross", new TreeSet<>(Set.of("staff", "vip"))));
    }

    @Test
    void listChangesNeedNoReEnrolmentAndNewEntriesInheritTheLists() {
        gallery.addToLists("ross", List.of("vip"));
        long before = gallery.version();

        gallery.add(
                List.of(Synthetic.entry("ross", "ross_9.jpg", synthetic.near(ross, 0.3), MODEL)));
        assertThat(gallery.search(MODEL, ross, 10, Watchlists.filterAnyOf(List.of("vip"))))
                .hasSize(3);

        assertThat(gallery.removeFromLists("ross", List.of("vip"))).isEmpty();
        assertThat(gallery.search(MODEL, ross, 10, Watchlists.filterAnyOf(List.of("vip"))))
                .isEmpty();
        assertThat(gallery.watchlists()).isEmpty();
        assertThat(gallery.version()).isGreaterThan(before + 1);
    }

    @Test
    void deletingAnIdentityDeletesItsListsAndMovesTheVersion() {
        gallery.addToLists("ross", List.of("vip"));
        long before = gallery.version();

        gallery.deleteIdentity("ross");

        assertThat(gallery.watchlists()).isEmpty();
        assertThat(client.hgetAll(key + ":lists")).isEmpty();
        assertThat(gallery.version()).isGreaterThan(before);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "vip\" or .identity == \"ross",
                "vip\") or (1",
                "a b",
                "x||y",
                "'q'",
                "vip\\",
                "!vip",
                "",
                "名单"
            })
    void namesWithQuotesOperatorsOrSpacesAreRefusedBeforeReachingRedis(String bad) {
        String before = client.vgetattr(key, anEntryOf("monica"));

        assertThatThrownBy(() -> gallery.addToLists("monica", List.of(bad)))
                .isInstanceOf(GalleryException.class)
                .hasMessageContaining("watchlist name")
                .hasMessageContaining("letters, digits");
        assertThatThrownBy(() -> Watchlists.filterAnyOf(List.of("vip", bad)))
                .isInstanceOf(GalleryException.class);

        assertThat(client.vgetattr(key, anEntryOf("monica"))).isEqualTo(before);
        assertThat(gallery.watchlists()).isEmpty();
    }

    @Test
    void theFilterIsBuiltOnlyFromCheckedNamesInDoubleQuotes() {
        assertThat(Watchlists.filterAnyOf(List.of("vip", "staff", "vip")))
                .isEqualTo("\"staff\" in .lists or \"vip\" in .lists");
        assertThat(Watchlists.parse(" staff , vip-2 ,A_b"))
                .containsExactly("A_b", "staff", "vip-2");
    }

    @Test
    void anIdentityNotEnrolledCannotBeListed() {
        assertThatThrownBy(() -> gallery.addToLists("janice", List.of("vip")))
                .isInstanceOf(GalleryException.class)
                .hasMessageContaining("'janice' is not enrolled");
    }

    @Test
    void theViewSeesDeletionsAndListChangesAfterARefresh() {
        gallery.addToLists("ross", List.of("vip"));
        try (GalleryView view =
                new GalleryView(
                        Galleries.open(
                                client,
                                "lists",
                                GalleryOptions.defaults().withBackend(Backend.VECTOR_SET)),
                        60_000)) {
            GalleryView.Snapshot first = view.current();
            assertThat(first.present("ross")).isTrue();
            assertThat(first.listsOf("ross")).containsExactly("vip");

            gallery.deleteIdentity("ross");
            gallery.addToLists("monica", List.of("staff"));
            view.refresh();

            GalleryView.Snapshot now = view.current();
            assertThat(now.version()).isGreaterThan(first.version());
            assertThat(now.present("ross")).isFalse();
            assertThat(now.identities()).containsExactlyInAnyOrder("monica", "chandler");
            SortedSet<String> monicaLists = now.listsOf("monica");
            assertThat(monicaLists).containsExactly("staff");
        }
    }
}
