package io.facestream.flink.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.facestream.decode.ImageDecoder;
import io.facestream.schema.DeadLetter;
import io.facestream.schema.Frame;
import io.facestream.schema.FrameEncoding;
import io.facestream.schema.internal.SourceRecord;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The source in a real MiniCluster job (parallelism 2, no Kryo) on the real sample videos and real
 * FFmpeg: frame counts, numbering, event time, sampling, trims, and every kind of bad input ending
 * in a DeadLetter while the good streams beside it are read in full.
 */
class VideoSourceITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir Path tmp;

    static List<SourceRecord> run(VideoSource source) throws Exception {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        // Checkpoints while reading: split state goes through the real serializer and runtime.
        env.enableCheckpointing(200);
        List<SourceRecord> out = new ArrayList<>();
        try (CloseableIterator<SourceRecord> it =
                env.fromSource(source, VideoSource.watermarks(Duration.ofSeconds(1)), "video")
                        .uid("video-source")
                        .executeAndCollect("video-source-it")) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    static List<Frame> frames(List<SourceRecord> records, String camera) {
        return records.stream()
                .map(SourceRecord::getFrame)
                .filter(f -> f != null && f.getCameraId().equals(camera))
                .toList();
    }

    static List<DeadLetter> deadLetters(List<SourceRecord> records, Path file) {
        return deadLetters(records, file.toAbsolutePath().normalize().toString());
    }

    static List<DeadLetter> deadLetters(List<SourceRecord> records, String source) {
        return records.stream()
                .map(SourceRecord::getDeadLetter)
                .filter(d -> d != null && d.getSource().equals(source))
                .toList();
    }

    static List<Long> sequences(List<Frame> frames) {
        return frames.stream().map(Frame::getSequence).toList();
    }

    static List<Long> range(long from, long to, long step) {
        return LongStream.iterate(from, i -> i < to, i -> i + step).boxed().toList();
    }

    static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    @Test
    void readsTwoFilesAsTwoCamerasFrameByFrameInMediaTime() throws Exception {
        List<SourceRecord> out =
                run(
                        VideoSource.builder()
                                .addFile(Videos.hamilton(), "hamilton")
                                .addFile(Videos.faceapi(), "faceapi")
                                .build());
        List<Frame> ham = frames(out, "hamilton");
        List<Frame> face = frames(out, "faceapi");
        assertThat(out).hasSize(Videos.HAMILTON_FRAMES + Videos.FACEAPI_FRAMES);
        assertThat(sequences(ham)).isEqualTo(range(0, Videos.HAMILTON_FRAMES, 1));
        assertThat(sequences(face)).isEqualTo(range(0, Videos.FACEAPI_FRAMES, 1));

        // 29.97 fps: 33.37 ms apart, whole milliseconds so 33 or 34; the video starts at 852 ms.
        assertThat(ham.get(0).getTimestamp().toEpochMilli()).isEqualTo(852);
        for (int i = 1; i < ham.size(); i++) {
            long step =
                    ham.get(i).getTimestamp().toEpochMilli()
                            - ham.get(i - 1).getTimestamp().toEpochMilli();
            assertThat(step).as("ms between frames %d and %d", i - 1, i).isBetween(33L, 34L);
        }
        assertThat(ham)
                .allSatisfy(
                        f -> {
                            assertThat(f.getWidth()).isEqualTo(640);
                            assertThat(f.getHeight()).isEqualTo(360);
                            assertThat(f.getEncoding()).isEqualTo(FrameEncoding.JPEG);
                            assertThat(f.getSourceUri()).endsWith("hamilton_clip.mp4");
                        });
        assertThat(face).allSatisfy(f -> assertThat(f.getWidth()).isEqualTo(820));
        ImageDecoder decoder = new ImageDecoder();
        for (Frame f : List.of(ham.get(0), ham.get(137), ham.get(274), face.get(4))) {
            try (Mat img = decoder.decode(bytes(f.getData()), "frame " + f.getSequence())) {
                assertThat(img.cols()).isEqualTo(f.getWidth());
                assertThat(img.rows()).isEqualTo(f.getHeight());
            }
        }
    }

    @Test
    void failureAfterACheckpointRestoresTheSplitsWithoutLosingOrRepeatingAFrame() throws Exception {
        FailOnceAfterCheckpoint.failed.set(false);
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 1);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(50));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(100);
        VideoSource source =
                VideoSource.builder()
                        .addFile(Videos.hamilton(), "a")
                        .addFile(Videos.hamilton(), "b")
                        .build();
        List<SourceRecord> out = new ArrayList<>();
        // The collect sink is exactly-once across a restore: what it returns is what the sink
        // committed, so a source that rewound too far shows duplicates and one that skipped, gaps.
        try (CloseableIterator<SourceRecord> it =
                env.fromSource(source, VideoSource.watermarks(Duration.ofSeconds(1)), "video")
                        .map(new FailOnceAfterCheckpoint(), new AvroTypeInfo<>(SourceRecord.class))
                        .executeAndCollect("video-source-failover")) {
            it.forEachRemaining(out::add);
        }
        assertThat(FailOnceAfterCheckpoint.failed).as("a failure was injected").isTrue();
        assertThat(sequences(frames(out, "a"))).isEqualTo(range(0, 275, 1));
        assertThat(sequences(frames(out, "b"))).isEqualTo(range(0, 275, 1));
    }

    /**
     * Slows the stream so checkpoints land mid-file, then fails once, after a checkpoint that
     * completed when this subtask had passed on 100 records (so the restored splits are mid-file).
     */
    static final class FailOnceAfterCheckpoint extends RichMapFunction<SourceRecord, SourceRecord>
            implements CheckpointListener {
        static final AtomicBoolean failed = new AtomicBoolean();
        private volatile long seen;
        private volatile boolean checkpointedMidFile;

        @Override
        public SourceRecord map(SourceRecord record) throws Exception {
            Thread.sleep(3);
            seen++;
            if (checkpointedMidFile && failed.compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure after a checkpoint");
            }
            return record;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            checkpointedMidFile |= seen >= 100;
        }
    }

    @Test
    void everyFifthFrameKeepsTheSequenceNumbersOfTheWholeStream() throws Exception {
        VideoSourceOptions nth = VideoSourceOptions.builder().everyNth(5).build();
        List<Frame> ham =
                frames(
                        run(
                                VideoSource.builder()
                                        .addFile(Videos.hamilton(), "h")
                                        .options(nth)
                                        .build()),
                        "h");
        assertThat(ham).hasSize(55);
        assertThat(sequences(ham)).isEqualTo(range(0, 275, 5));
    }

    @Test
    void maxFpsTenKeepsOneFramePerTenthOfASecond() throws Exception {
        VideoSourceOptions fps = VideoSourceOptions.builder().maxFps(10).build();
        List<Frame> ham =
                frames(
                        run(
                                VideoSource.builder()
                                        .addFile(Videos.hamilton(), "h")
                                        .options(fps)
                                        .build()),
                        "h");
        // 9.14 s of video (0.852 .. 9.994 s): 92 tenth-second slots.
        assertThat(ham).hasSizeBetween(90, 93);
        Map<Long, Long> perSlot =
                ham.stream()
                        .collect(
                                Collectors.groupingBy(
                                        f -> f.getTimestamp().toEpochMilli() / 100,
                                        Collectors.counting()));
        assertThat(perSlot.values()).containsOnly(1L);
    }

    @Test
    void trimKeepsOnlyFramesBetweenFromAndTo() throws Exception {
        List<Frame> ham =
                frames(
                        run(
                                VideoSource.builder()
                                        .addFile(Videos.hamilton(), "h", 2000, 4000)
                                        .build()),
                        "h");
        // Frames at 852 + 33.37 k ms: k = 35 (2019 ms) .. k = 94 (3989 ms).
        assertThat(ham).hasSize(60);
        assertThat(sequences(ham)).isEqualTo(range(35, 95, 1));
        assertThat(ham)
                .allSatisfy(
                        f -> assertThat(f.getTimestamp().toEpochMilli()).isBetween(2000L, 3999L));
    }

    @Test
    void badInputEndsItsStreamWithOneDeadLetterAndTheGoodFileIsReadInFull() throws Exception {
        Path cut =
                Videos.truncatedCopy(
                        Videos.indexFirstCopy(Videos.hamilton(), tmp, "whole.mp4"), tmp, "cut.mp4");
        Path cutNoIndex = Videos.truncatedCopy(Videos.hamilton(), tmp, "cut-no-index.mp4");
        Path text = Videos.textAsMp4(tmp);
        Path folder = Files.createDirectory(tmp.resolve("folder"));
        Files.copy(Videos.faceapi(), folder.resolve("face.mp4"));
        Path readme = Files.writeString(folder.resolve("readme.txt"), "not a video");
        VideoSourceOptions options =
                VideoSourceOptions.builder()
                        .maxReconnects(2)
                        .reconnectDelay(Duration.ofMillis(20), Duration.ofMillis(100))
                        .build();
        List<SourceRecord> out =
                run(
                        VideoSource.builder()
                                .addFile(Videos.hamilton(), "good")
                                .addFile(cut, "cut")
                                .addFile(cutNoIndex, "cut-no-index")
                                .addFile(text, "text")
                                .addFolder(folder, "folder/")
                                .addUri("rtsp://127.0.0.1:1/none", "rtsp")
                                .addUri("webcam:7", "webcam")
                                .options(options)
                                .build());

        assertThat(sequences(frames(out, "good"))).isEqualTo(range(0, 275, 1));
        assertThat(deadLetters(out, Videos.hamilton())).isEmpty();
        assertThat(sequences(frames(out, "folder/face.mp4"))).isEqualTo(range(0, 5, 1));

        List<Frame> cutFrames = frames(out, "cut");
        assertThat(cutFrames).hasSizeBetween(50, 250);
        assertThat(sequences(cutFrames)).isEqualTo(range(0, cutFrames.size(), 1));
        assertThat(deadLetters(out, cut))
                .singleElement()
                .satisfies(
                        dl -> {
                            assertThat(dl.getStage()).isEqualTo("source");
                            assertThat(dl.getErrorClass())
                                    .isEqualTo(VideoInputException.Truncated.class.getName());
                            assertThat(dl.getErrorMessage()).contains("of the 275 frames");
                            // Event time of the failure is where the file broke off, not the wall
                            // clock.
                            assertThat(dl.getTimestamp())
                                    .isAfterOrEqualTo(
                                            cutFrames.get(cutFrames.size() - 1).getTimestamp());
                            assertThat(dl.getTimestamp().toEpochMilli()).isLessThan(10_000);
                        });
        List<SourceRecord> cutRecords =
                out.stream()
                        .filter(
                                r ->
                                        r.getFrame() != null
                                                ? r.getFrame().getCameraId().equals("cut")
                                                : r.getDeadLetter()
                                                        .getSource()
                                                        .equals(cut.toString()))
                        .toList();
        assertThat(cutRecords.get(cutRecords.size() - 1).getDeadLetter())
                .as("after the frames")
                .isNotNull();

        for (Path unreadable : List.of(cutNoIndex, text)) {
            assertThat(deadLetters(out, unreadable))
                    .as(unreadable.toString())
                    .singleElement()
                    .satisfies(
                            dl ->
                                    assertThat(dl.getErrorMessage())
                                            .contains(unreadable.toString())
                                            .doesNotContain("setFormat"));
        }
        assertThat(frames(out, "cut-no-index")).isEmpty();
        assertThat(frames(out, "text")).isEmpty();
        assertThat(deadLetters(out, readme))
                .singleElement()
                .satisfies(dl -> assertThat(dl.getErrorClass()).endsWith("NotAVideo"));
        assertThat(deadLetters(out, "rtsp://127.0.0.1:1/none"))
                .singleElement()
                .satisfies(
                        dl ->
                                assertThat(dl.getErrorMessage())
                                        .contains("after 3 connection failures in a row"));
        assertThat(deadLetters(out, "webcam:7")).hasSize(1);
        assertThat(out.stream().filter(r -> r.getDeadLetter() != null)).hasSize(6);
    }
}
