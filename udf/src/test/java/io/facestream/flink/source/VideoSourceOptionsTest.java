package io.facestream.flink.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facestream.schema.FrameEncoding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Option defaults, config keys and validation; what the builder makes of files, folders, URIs. */
class VideoSourceOptionsTest {
    @TempDir Path tmp;

    @Test
    void defaultsAreEveryFrameAsJpeg90InMediaTimeReconnectingForever() {
        VideoSourceOptions d = VideoSourceOptions.defaults();
        assertThat(d.everyNth()).isEqualTo(1);
        assertThat(d.maxFps()).isZero();
        assertThat(d.encoding()).isEqualTo(FrameEncoding.JPEG);
        assertThat(d.jpegQuality()).isEqualTo(90);
        assertThat(d.baseTimestampMs()).isZero();
        assertThat(d.maxReconnects()).isEqualTo(-1);
        assertThat(d.reconnectInitialDelay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(d.reconnectMaxDelay()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void readsTheSourceKeysOfAFlinkConfiguration() {
        Configuration c = new Configuration();
        c.setString("source.every-nth", "5");
        c.setString("source.max-fps", "10");
        c.setString("source.encoding", "BGR24");
        c.setString("source.max-reconnects", "2");
        c.setString("source.reconnect.initial-delay", "100 ms");
        c.setString("source.reconnect.max-delay", "2 s");
        VideoSourceOptions o = VideoSourceOptions.fromConfig(c);
        assertThat(o.everyNth()).isEqualTo(5);
        assertThat(o.maxFps()).isEqualTo(10.0);
        assertThat(o.encoding()).isEqualTo(FrameEncoding.BGR24);
        assertThat(o.maxReconnects()).isEqualTo(2);
        assertThat(o.reconnectInitialDelay()).isEqualTo(Duration.ofMillis(100));
        assertThat(o.reconnectMaxDelay()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void readsTheLiveKeys() {
        VideoSourceOptions d = VideoSourceOptions.defaults();
        assertThat(d.pace()).isEqualTo(VideoSourceOptions.Pace.NONE);
        assertThat(d.whenBehind()).isEqualTo(VideoSourceOptions.WhenBehind.DROP_OLDEST);
        assertThat(d.maxLag()).isEqualTo(Duration.ofMillis(500));
        Configuration c = new Configuration();
        c.setString("source.pace", "realtime");
        c.setString("source.live.when-behind", "wait");
        c.setString("source.live.max-lag", "2 s");
        VideoSourceOptions o = VideoSourceOptions.fromConfig(c);
        assertThat(o.pace()).isEqualTo(VideoSourceOptions.Pace.REALTIME);
        assertThat(o.whenBehind()).isEqualTo(VideoSourceOptions.WhenBehind.WAIT);
        assertThat(o.maxLag()).isEqualTo(Duration.ofSeconds(2));
        assertThatThrownBy(
                        () ->
                                VideoSourceOptions.builder()
                                        .whenBehind(
                                                VideoSourceOptions.WhenBehind.DROP_OLDEST,
                                                Duration.ZERO)
                                        .build())
                .hasMessageContaining("source.live.max-lag must be > 0");
    }

    @Test
    void rejectsBadValuesNamingTheKey() {
        assertThatThrownBy(() -> VideoSourceOptions.builder().everyNth(0).build())
                .hasMessageContaining("source.every-nth must be >= 1");
        assertThatThrownBy(() -> VideoSourceOptions.builder().jpegQuality(101).build())
                .hasMessageContaining("source.jpeg-quality");
        assertThatThrownBy(() -> VideoSourceOptions.builder().maxReconnects(-2).build())
                .hasMessageContaining("source.max-reconnects");
        assertThatThrownBy(
                        () ->
                                VideoSourceOptions.builder()
                                        .reconnectDelay(
                                                Duration.ofSeconds(5), Duration.ofSeconds(1))
                                        .build())
                .hasMessageContaining(
                        "source.reconnect.max-delay must be >= source.reconnect.initial-delay");
    }

    @Test
    void builderNamesCamerasExpandsFoldersAndIsBoundedOnlyForFiles() throws Exception {
        Path folder = Files.createDirectory(tmp.resolve("clips"));
        Files.writeString(folder.resolve("readme.txt"), "hi");
        Files.copy(Videos.faceapi(), folder.resolve("a.mp4"));
        VideoSource files =
                VideoSource.builder()
                        .addFile(Videos.hamilton(), "ham", 2000, 4000)
                        .addFolder(folder, "arch/")
                        .build();
        assertThat(files.getBoundedness()).isEqualTo(Boundedness.BOUNDED);
        assertThat(files.splits())
                .extracting(VideoSplit::cameraId, VideoSplit::kind)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("ham", StreamKind.FILE),
                        org.assertj.core.groups.Tuple.tuple("arch/a.mp4", StreamKind.FILE),
                        org.assertj.core.groups.Tuple.tuple(
                                "arch/readme.txt", StreamKind.NOT_VIDEO));

        VideoSource mixed =
                VideoSource.fromUris(
                        List.of(
                                Videos.faceapi().toString(),
                                "gate=rtsp://user:secret@10.0.0.7:554/stream1",
                                "rtsp://10.0.0.8/live",
                                "webcam:0"),
                        VideoSourceOptions.defaults());
        assertThat(mixed.getBoundedness()).isEqualTo(Boundedness.CONTINUOUS_UNBOUNDED);
        assertThat(mixed.splits())
                .extracting(VideoSplit::cameraId)
                .containsExactly("faceapi_5frames.mp4", "gate", "10.0.0.8/live", "video0");
        assertThat(Grabbers.redact("rtsp://user:secret@10.0.0.7:554/stream1"))
                .isEqualTo("rtsp://***@10.0.0.7:554/stream1");
    }

    @Test
    void builderRejectsDuplicateCameraIdsBadTrimsAndNoStreams() {
        assertThatThrownBy(
                        () ->
                                VideoSource.builder()
                                        .addFile(Videos.hamilton(), "x")
                                        .addUri("rtsp://h/x", "x"))
                .hasMessageContaining("camera id 'x' is used by both");
        assertThatThrownBy(() -> VideoSource.builder().addFile(Videos.hamilton(), "x", 4000, 2000))
                .hasMessageContaining("0 <= from < to");
        assertThatThrownBy(() -> VideoSource.builder().build())
                .hasMessageContaining("at least one stream");
    }
}
