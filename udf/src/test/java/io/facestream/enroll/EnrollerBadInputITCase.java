package io.facestream.enroll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facestream.analyze.FaceAnalyzer;
import io.facestream.detect.DetectorOptions;
import io.facestream.gallery.FaceGallery;
import io.facestream.gallery.Galleries;
import io.facestream.gallery.GalleryException;
import io.facestream.gallery.GalleryOptions;
import io.facestream.gallery.IdentityDecider;
import io.facestream.identify.Identifier;
import io.facestream.model.ModelOptions;
import io.facestream.testing.LocalRedis;
import io.facestream.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Enrolment of a folder full of awkward inputs: each is reported, the rest is enrolled. */
class EnrollerBadInputITCase {
    static LocalRedis redis;
    static FaceAnalyzer analyzer;

    @BeforeAll
    static void start() {
        redis = LocalRedis.start();
        analyzer = FaceAnalyzer.open(null, null, ModelOptions.DEFAULT, DetectorOptions.DEFAULT, 8);
    }

    @AfterAll
    static void stop() {
        analyzer.close();
        redis.close();
    }

    @Test
    void skipsBadFilesWithTheirReasonsAndEnrolsTheRest(@TempDir Path dir) throws Exception {
        byte[] chandler = Files.readAllBytes(TestData.data("friends/gallery/Chandler_1.jpg"));
        Files.write(dir.resolve("Zoë O'Brien \"Jr\"_1.jpg"), chandler);
        Files.copy(TestData.data("friends/gallery/Ross_1.jpg"), dir.resolve("Ross_1.jpg"));
        Files.writeString(dir.resolve("notes_1.jpg"), "this is not a photo");
        Files.write(dir.resolve("empty_1.jpg"), new byte[0]);
        Files.write(dir.resolve("cut_1.jpg"), Arrays.copyOf(chandler, chandler.length / 2));
        Files.copy(TestData.data("edge/no_face_white.png"), dir.resolve("white_1.png"));
        Files.copy(TestData.data("friends/scenes/Friends1.jpg"), dir.resolve("group_1.jpg"));

        try (FaceGallery g = Galleries.open(redis.url(), "bad-input", GalleryOptions.defaults())) {
            EnrollReport r =
                    new Enroller(analyzer, g, IdentityNaming.NAMES, false)
                            .enroll(dir, (d, t, f) -> {});
            Map<String, String> reasons =
                    r.skipped().stream()
                            .collect(
                                    Collectors.toMap(
                                            s -> s.file().getFileName().toString(),
                                            EnrollReport.Skipped::reason));
            System.out.println(reasons);
            assertThat(r.files()).isEqualTo(7);
            assertThat(r.added()).containsOnlyKeys("Zoë O'Brien \"Jr\"", "Ross");
            assertThat(reasons)
                    .containsOnlyKeys(
                            "notes_1.jpg",
                            "empty_1.jpg",
                            "cut_1.jpg",
                            "white_1.png",
                            "group_1.jpg");
            assertThat(reasons.get("notes_1.jpg")).contains("not a decodable image");
            assertThat(reasons.get("empty_1.jpg")).contains("0 bytes");
            assertThat(reasons.get("cut_1.jpg")).contains("truncated JPEG");
            assertThat(reasons.get("white_1.png")).isEqualTo("no face found");
            assertThat(reasons.get("group_1.jpg")).startsWith("3 faces found");
            assertThat(g.identities()).containsKeys("Zoë O'Brien \"Jr\"", "Ross");

            EnrollReport largest =
                    new Enroller(analyzer, g, IdentityNaming.NAMES, true)
                            .enroll(dir, (d, t, f) -> {});
            assertThat(largest.added()).containsOnlyKeys("group");
            assertThat(largest.alreadyPresent()).containsOnlyKeys("Zoë O'Brien \"Jr\"", "Ross");
        }
    }

    @Test
    void refusesToSearchA128dGalleryWithThe512dModel() throws Exception {
        try (FaceAnalyzer small =
                        FaceAnalyzer.open(
                                null,
                                "mbf128_foamliu",
                                ModelOptions.DEFAULT,
                                DetectorOptions.DEFAULT,
                                8);
                FaceGallery g = Galleries.open(redis.url(), "small", GalleryOptions.defaults())) {
            new Enroller(small, g, IdentityNaming.AUTO, false)
                    .enroll(TestData.data("people/gallery"), (d, t, f) -> {});
            assertThat(g.info().dimension()).isEqualTo(128);
            Identifier wrong = new Identifier(analyzer, g, new IdentityDecider(0.4f), 5);
            byte[] photo = Files.readAllBytes(TestData.data("people/scenes/two_people.jpg"));
            assertThatThrownBy(() -> wrong.identify(photo, "two_people.jpg"))
                    .isInstanceOf(GalleryException.class)
                    .hasMessageContaining("mbf128_foamliu")
                    .hasMessageContaining("mbf512_faceplugin");
            assertThatThrownBy(
                            () ->
                                    new Enroller(analyzer, g, IdentityNaming.AUTO, false)
                                            .enroll(
                                                    TestData.data("people/gallery"),
                                                    (d, t, f) -> {}))
                    .isInstanceOf(GalleryException.class)
                    .hasMessageContaining("mbf128_foamliu");
        }
    }

    @Test
    void nameRulesFollowTheSeed() {
        Path root = Path.of("/g");
        assertThat(IdentityNaming.AUTO.identityOf(root, root.resolve("lin_manuel_miranda_2.jpg")))
                .isEqualTo("lin_manuel_miranda");
        assertThat(IdentityNaming.AUTO.identityOf(root, root.resolve("obama/obama_a.jpg")))
                .isEqualTo("obama");
        assertThat(IdentityNaming.NAMES.identityOf(root, root.resolve("obama/Rachel_12.png")))
                .isEqualTo("Rachel");
        assertThat(IdentityNaming.AUTO.identityOf(root, root.resolve("_3.jpg"))).isEqualTo("_3");
        assertThatThrownBy(() -> IdentityNaming.FOLDERS.identityOf(root, root.resolve("x_1.jpg")))
                .hasMessageContaining("not in a per-person folder");
    }
}
