package io.facestream.gallery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facestream.testing.LocalRedis;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a gallery user sees when Redis is down, refuses the password, or restarts. */
class GalleryConnectionITCase {
    private static final String MODEL = "test-embedder-64";

    private final Synthetic synthetic = new Synthetic(3, 64);

    @Test
    void redisNotRunningIsAClearError() throws IOException {
        int unused;
        try (ServerSocket probe = new ServerSocket(0)) {
            unused = probe.getLocalPort();
        }

        assertThatThrownBy(
                        () ->
                                Galleries.open(
                                        "redis://127.0.0.1:" + unused,
                                        "friends",
                                        GalleryOptions.defaults()))
                .isInstanceOf(GalleryException.class)
                .hasMessageContaining("cannot reach Redis at redis://127.0.0.1:" + unused)
                .hasMessageContaining("is it running?");
    }

    @Test
    void aWrongOrMissingPasswordIsAClearErrorThatKeepsThePasswordSecret() {
        try (LocalRedis redis = LocalRedis.start(0, "right-secret", null)) {
            String wrong = "redis://:wrong-secret@127.0.0.1:" + redis.port();
            String none = "redis://127.0.0.1:" + redis.port();

            assertThatThrownBy(() -> Galleries.open(wrong, "friends", GalleryOptions.defaults()))
                    .isInstanceOf(GalleryException.class)
                    .hasMessageContaining("refused the credentials")
                    .hasMessageContaining("password")
                    .message()
                    .doesNotContain("wrong-secret");
            assertThatThrownBy(() -> Galleries.open(none, "friends", GalleryOptions.defaults()))
                    .isInstanceOf(GalleryException.class)
                    .hasMessageContaining("refused the credentials");
            try (FaceGallery gallery =
                    Galleries.open(redis.url(), "friends", GalleryOptions.defaults())) {
                assertThat(gallery.count()).isZero();
            }
        }
    }

    @Test
    void entriesSurviveARestartOfTheServer() {
        try (LocalRedis redis = LocalRedis.start()) {
            float[] rachel = synthetic.unit();
            try (FaceGallery gallery =
                    Galleries.open(redis.url(), "restart", GalleryOptions.defaults())) {
                gallery.add(synthetic.person("rachel", rachel, 3, MODEL));
            }

            redis.restart();

            try (FaceGallery gallery =
                    Galleries.open(redis.url(), "restart", GalleryOptions.defaults())) {
                assertThat(gallery.count()).isEqualTo(3);
                assertThat(gallery.search(MODEL, rachel, 1))
                        .extracting(Match::identity)
                        .isEqualTo(List.of("rachel"));
            }
        }
    }
}
