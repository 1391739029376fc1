package io.facestream.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facestream.job.JobIo.Sink;
import io.facestream.job.JobIo.Source;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Source and sinks chosen independently; incomplete or conflicting keys are refused by name. */
class JobIoTest {
    @TempDir Path tmp;

    static JobIo io(String... sets) {
        return JobConfig.load(null, List.of(sets)).io();
    }

    static String refused(String... sets) {
        Throwable t = null;
        try {
            JobConfig.load(null, List.of(sets));
        } catch (IllegalArgumentException e) {
            t = e;
        }
        assertThat(t).as("refused: %s", List.of(sets)).isNotNull();
        return t.getMessage();
    }

    @Test
    void aCameraUrlAndAKafkaSinkInOneConfigFileReadTheCameraAndWriteKafka() throws Exception {
        Path file = tmp.resolve("job.yaml");
        Files.writeString(
                file,
                """
                # the main deployment: cameras in, identities to Kafka out
                source.uris: door=rtsp://camera.example:554/stream1;lobby=webcam:0
                kafka.bootstrap-servers: broker-1:9092,broker-2:9092
                kafka.topic.identities: door-identities
                """);
        JobConfig cfg = JobConfig.load(file, List.of());
        assertThat(cfg.io()).isEqualTo(new JobIo(Source.VIDEO, Set.of(Sink.KAFKA)));
        assertThat(cfg.get(FacestreamOptions.SOURCE_URIS))
                .containsExactly("door=rtsp://camera.example:554/stream1", "lobby=webcam:0");
        assertThat(cfg.kafkaOptions().identitiesTopic()).isEqualTo("door-identities");
    }

    @Test
    void anyCombinationOfSourceAndSinks() {
        assertThat(io("source.uris=a.mp4", "output.dir=out"))
                .isEqualTo(new JobIo(Source.VIDEO, Set.of(Sink.FILES)));
        assertThat(io("source.uris=a.mp4", "output.dir=out", "kafka.bootstrap-servers=b:9092"))
                .isEqualTo(new JobIo(Source.VIDEO, Set.of(Sink.FILES, Sink.KAFKA)));
        // Kafka alone: frames from Kafka, outputs to Kafka (as before sink.types existed).
        assertThat(io("kafka.bootstrap-servers=b:9092"))
                .isEqualTo(new JobIo(Source.KAFKA, Set.of(Sink.KAFKA)));
        assertThat(
                        io(
                                "source.type=kafka",
                                "sink.types=files",
                                "kafka.bootstrap-servers=b:9092",
                                "kafka.topic.frames=cams",
                                "output.dir=out"))
                .isEqualTo(new JobIo(Source.KAFKA, Set.of(Sink.FILES)));
        assertThat(
                        io(
                                "source.type=video",
                                "sink.types=kafka;files",
                                "source.uris=a.mp4",
                                "kafka.bootstrap-servers=b:9092",
                                "output.dir=out"))
                .isEqualTo(new JobIo(Source.VIDEO, Set.of(Sink.FILES, Sink.KAFKA)));
        // replay brings its own source and sinks
        assertThat(io("replay.inputs=a.mp4")).isEqualTo(new JobIo(Source.NONE, Set.of()));
    }

    @Test
    void refusesIncompleteChoicesNamingTheMissingKey() {
        assertThat(refused("source.type=video", "output.dir=out"))
                .contains("source.type is video but source.uris is not set");
        assertThat(refused("source.type=kafka", "output.dir=out"))
                .contains("source.type is kafka but kafka.bootstrap-servers is not set");
        assertThat(refused("source.uris=a.mp4", "sink.types=kafka"))
                .contains("sink.types includes kafka but kafka.bootstrap-servers is not set");
        assertThat(refused("source.uris=a.mp4", "sink.types=files"))
                .contains("sink.types includes files but output.dir");
        assertThat(refused("output.dir=out")).startsWith("no input: set source.uris");
    }

    @Test
    void refusesKeysThatWouldBeSilentlyIgnored() {
        assertThat(
                        refused(
                                "source.uris=a.mp4",
                                "kafka.bootstrap-servers=b",
                                "kafka.topic.frames=f"))
                .contains("source.uris and kafka.topic.frames are both set")
                .contains("source.type");
        assertThat(refused("source.type=kafka", "kafka.bootstrap-servers=b", "source.uris=a.mp4"))
                .contains("source.type is kafka, so source.uris would be ignored");
        assertThat(
                        refused(
                                "source.type=video",
                                "source.uris=a.mp4",
                                "kafka.bootstrap-servers=b",
                                "kafka.starting-offsets=EARLIEST"))
                .contains("kafka.starting-offsets would be ignored");
        assertThat(
                        refused(
                                "source.uris=a.mp4",
                                "sink.types=kafka",
                                "kafka.bootstrap-servers=b",
                                "output.dir=out"))
                .contains("output.dir is set but sink.types (kafka) has no files");
        assertThat(
                        refused(
                                "source.uris=a.mp4",
                                "sink.types=files",
                                "output.dir=out",
                                "kafka.topic.dead-letters=dl"))
                .contains("kafka.topic.dead-letters would be ignored");
        assertThat(
                        refused(
                                "source.uris=a.mp4",
                                "sink.types=files",
                                "output.dir=out",
                                "kafka.bootstrap-servers=b"))
                .contains("kafka.bootstrap-servers is set but neither source.type (video) nor");
        assertThat(refused("source.type=camera", "source.uris=a.mp4")).contains("source.type");
    }

    @Test
    void aSubmittedStreamJobNeedsAnOutput() {
        assertThatThrownBy(() -> FacestreamJob.main(new String[] {"--set", "source.uris=a.mp4"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("no output: set kafka.bootstrap-servers");
    }
}
