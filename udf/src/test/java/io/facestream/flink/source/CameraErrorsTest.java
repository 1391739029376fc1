package io.facestream.flink.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import org.junit.jupiter.api.Test;

/** Plain words for the FFmpeg errors a camera gives, from JavaCV's own messages. */
class CameraErrorsTest {
    private static Exception javacv(String message) {
        return new Exception(message);
    }

    @Test
    void namesRefusedConnectionsWithoutTheSetFormatHint() {
        String words =
                CameraErrors.describe(
                        javacv(
                                "avformat_open_input() error -111: Could not open input"
                                        + " \"rtsp://cam/1\". (Has setFormat() been called?)"));
        assertThat(words)
                .isEqualTo("connection refused (nothing listens at that address: camera down?)");
    }

    @Test
    void namesTheEndOfTheStreamAndAuthFailures() {
        assertThat(CameraErrors.describe(new EOFException("stream ended")))
                .startsWith("the stream ended");
        assertThat(CameraErrors.describe(javacv("av_read_frame() error -541478725")))
                .startsWith("the stream ended");
        assertThat(CameraErrors.describe(javacv("avformat_open_input() error -825242872: x")))
                .contains("denied access");
    }

    @Test
    void keepsUnknownMessagesButDropsTheHintsAndMasksPasswords() {
        String words =
                CameraErrors.describe(
                        javacv(
                                "avformat_open_input() error -99999: Could not open input"
                                        + " \"rtsp://admin:secret@10.0.0.7/s1\". (Has setFormat() been"
                                        + " called?) (For more details, make sure"
                                        + " FFmpegLogCallback.set() has been called.)"));
        assertThat(words)
                .isEqualTo(
                        "avformat_open_input() error -99999: Could not open input"
                                + " \"rtsp://***@10.0.0.7/s1\".");
    }

    @Test
    void saysWhyAFileCannotBeReadNamingItWithoutTheSetFormatHint() {
        String words =
                CameraErrors.describeFile(
                        javacv(
                                "avformat_open_input() error -1094995529: Could not open input"
                                        + " \"/videos/cut.mp4\". (Has setFormat() been called?)"),
                        "/videos/cut.mp4");
        assertThat(words)
                .startsWith("cannot read /videos/cut.mp4: not a video FFmpeg can read")
                .doesNotContain("setFormat", "error -");
        assertThat(
                        CameraErrors.describeFile(
                                javacv("avformat_open_input() error -13: Could not open input"),
                                "/videos/a.mp4"))
                .isEqualTo("cannot read /videos/a.mp4: permission denied");
        assertThat(
                        CameraErrors.describeFile(
                                javacv("odd failure (Has setFormat() been called?)"),
                                "/videos/b.mp4"))
                .isEqualTo("cannot read /videos/b.mp4: odd failure");
    }
}
