package io.facestream.flink.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.facestream.schema.DeadLetter;
import io.facestream.schema.Frame;
import io.facestream.schema.FrameEncoding;
import io.facestream.schema.internal.SourceRecord;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reader on its own, driven like a source task drives it: checkpoint and restore of the frame
 * position, trims, and the live-stream failure paths with their metrics.
 */
class VideoSourceReaderTest {
    @TempDir Path tmp;

    static VideoSplit file(Path path, String camera) {
        return file(path, camera, 0, VideoSplit.TO_END);
    }

    static VideoSplit file(Path path, String camera, long fromMs, long toMs) {
        return VideoSplit.of(path.toString(), camera, StreamKind.FILE, fromMs, toMs);
    }

    static VideoSourceReader reader(
            TestReaderContext context, VideoSourceOptions options, VideoSplit... splits) {
        VideoSourceReader reader = new VideoSourceReader(options, context);
        reader.start();
        reader.addSplits(List.of(splits));
        reader.notifyNoMoreSplits();
        return reader;
    }

    /** Everything the reader emits for these splits, to the end of input. */
    static List<SourceRecord> readAll(VideoSourceOptions options, VideoSplit... splits)
            throws Exception {
        try (VideoSourceReader reader = reader(new TestReaderContext(), options, splits)) {
            ReaderRun run = new ReaderRun().pollUntil(reader, Integer.MAX_VALUE);
            assertThat(run.ended()).isTrue();
            return run.records;
        }
    }

    /** Reads {@code cutAfter} records, checkpoints, and continues in a fresh reader. */
    static List<SourceRecord> readWithRestore(
            VideoSourceOptions options, VideoSplit split, int cutAfter) throws Exception {
        List<SourceRecord> out = new ArrayList<>();
        List<VideoSplit> state;
        try (VideoSourceReader first = reader(new TestReaderContext(), options, split)) {
            out.addAll(new ReaderRun().pollUntil(first, cutAfter).records);
            state = first.snapshotState(1);
        }
        assertThat(state).hasSize(1);
        out.addAll(readAll(options, state.get(0)));
        return out;
    }

    static List<Long> sequences(List<SourceRecord> records) {
        return records.stream().map(r -> r.getFrame().getSequence()).toList();
    }

    @Test
    void snapshotHoldsTheNextFrameIndexAndARestoredReaderContinuesThereExactlyOnce()
            throws Exception {
        VideoSplit split = file(Videos.hamilton(), "cam");
        VideoSourceOptions options = VideoSourceOptions.defaults();
        List<SourceRecord> before;
        VideoSplit checkpointed;
        try (VideoSourceReader reader = reader(new TestReaderContext(), options, split)) {
            before = new ReaderRun().pollUntil(reader, 100).records;
            checkpointed = reader.snapshotState(7).get(0);
        }
        assertThat(checkpointed.nextFrameIndex()).isEqualTo(100);
        assertThat(checkpointed.resumeAfterUs() / 1000)
                .isEqualTo(before.get(99).getFrame().getTimestamp().toEpochMilli());
        assertThat(
                        VideoSplitSerializer.INSTANCE.deserialize(
                                1, VideoSplitSerializer.INSTANCE.serialize(checkpointed)))
                .isEqualTo(checkpointed);

        List<SourceRecord> after = readAll(options, checkpointed);
        assertThat(after.get(0).getFrame().getSequence()).isEqualTo(100);
        assertThat(after.get(0).getFrame().getTimestamp())
                .isAfter(before.get(99).getFrame().getTimestamp());
        List<SourceRecord> all = new ArrayList<>(before);
        all.addAll(after);
        assertThat(sequences(all))
                .containsExactlyElementsOf(
                        LongStream.range(0, Videos.HAMILTON_FRAMES).boxed().toList());
        assertThat(all).extracting(r -> r.getFrame().getTimestamp()).isSorted();
    }

    @Test
    void samplingAndTrimDecideTheSameFramesWhetherOrNotTheReadWasRestored() throws Exception {
        VideoSourceOptions sampled = VideoSourceOptions.builder().everyNth(3).maxFps(7).build();
        VideoSplit trimmed = file(Videos.hamilton(), "cam", 1500, 8000);
        List<SourceRecord> straight = readAll(sampled, trimmed);
        List<SourceRecord> restored = readWithRestore(sampled, trimmed, 11);
        assertThat(straight).hasSizeGreaterThan(20);
        assertThat(sequences(restored)).containsExactlyElementsOf(sequences(straight));
        assertThat(restored)
                .extracting(r -> r.getFrame().getTimestamp())
                .containsExactlyElementsOf(
                        straight.stream().map(r -> r.getFrame().getTimestamp()).toList());
    }

    @Test
    void trimmedFramesKeepTheSequenceNumbersTheyHaveInTheWholeStream() throws Exception {
        VideoSourceOptions options = VideoSourceOptions.defaults();
        Map<Long, Long> sequenceAt =
                readAll(options, file(Videos.hamilton(), "cam")).stream()
                        .map(SourceRecord::getFrame)
                        .collect(
                                Collectors.toMap(
                                        f -> f.getTimestamp().toEpochMilli(), Frame::getSequence));
        List<SourceRecord> trimmed = readAll(options, file(Videos.hamilton(), "cam", 5000, 7000));
        assertThat(trimmed).hasSizeBetween(58, 62);
        for (SourceRecord r : trimmed) {
            long t = r.getFrame().getTimestamp().toEpochMilli();
            assertThat(t).isBetween(5000L, 6999L);
            assertThat(r.getFrame().getSequence())
                    .as("sequence at %d ms", t)
                    .isEqualTo(sequenceAt.get(t));
        }
    }

    @Test
    void bgr24FramesAreTheRawRowsWithoutPadding() throws Exception {
        VideoSourceOptions raw = VideoSourceOptions.builder().encoding(FrameEncoding.BGR24).build();
        List<SourceRecord> frames = readAll(raw, file(Videos.faceapi(), "face"));
        assertThat(frames).hasSize(Videos.FACEAPI_FRAMES);
        Frame f = frames.get(0).getFrame();
        assertThat(f.getEncoding()).isEqualTo(FrameEncoding.BGR24);
        assertThat(f.getData().remaining()).isEqualTo(820 * 460 * 3);
    }

    @Test
    void refusedRtspCameraIsRetriedWithBackoffThenGivenUpWithOneDeadLetterAndCounted()
            throws Exception {
        VideoSourceOptions options =
                VideoSourceOptions.builder()
                        .maxReconnects(2)
                        .reconnectDelay(Duration.ofMillis(20), Duration.ofMillis(80))
                        .build();
        VideoSplit camera =
                VideoSplit.of(
                        "rtsp://127.0.0.1:1/none", "door", StreamKind.LIVE, 0, VideoSplit.TO_END);
        TestReaderContext context = new TestReaderContext();
        List<SourceRecord> out;
        try (VideoSourceReader reader = reader(context, options, camera)) {
            ReaderRun run = new ReaderRun().pollUntil(reader, Integer.MAX_VALUE);
            assertThat(run.ended()).as("the split ends, the reader finishes").isTrue();
            out = run.records;
            assertThat(context.counter(VideoSourceMetrics.CAMERA_DISCONNECTS)).isEqualTo(3);
            assertThat(context.gauge(VideoSourceMetrics.CAMERAS_CONNECTED)).isEqualTo(0);
        }
        assertThat(out)
                .singleElement()
                .satisfies(
                        r -> {
                            DeadLetter dl = r.getDeadLetter();
                            assertThat(r.getFrame()).isNull();
                            assertThat(dl.getSource()).isEqualTo("rtsp://127.0.0.1:1/none");
                            assertThat(dl.getStage()).isEqualTo("source");
                            assertThat(dl.getErrorClass())
                                    .isEqualTo(
                                            VideoInputException.CameraUnreachable.class.getName());
                            assertThat(dl.getErrorMessage())
                                    .contains("after 3 connection failures in a row");
                        });
    }

    @Test
    void droppedLiveStreamIsReconnectedAndKeepsNumberingUntilItStaysDown() throws Exception {
        byte[] clip = Files.readAllBytes(Videos.indexFirstCopy(Videos.faceapi(), tmp, "live.mp4"));
        AtomicInteger served = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        // Up twice (each time the stream "drops" at the clip's end), then down for good.
        server.createContext(
                "/cam",
                exchange -> {
                    boolean up = served.incrementAndGet() <= 2;
                    exchange.sendResponseHeaders(up ? 200 : 404, up ? clip.length : -1);
                    if (up) {
                        exchange.getResponseBody().write(clip);
                    }
                    exchange.close();
                });
        server.start();
        String uri = "http://127.0.0.1:" + server.getAddress().getPort() + "/cam";
        VideoSourceOptions options =
                VideoSourceOptions.builder()
                        .maxReconnects(1)
                        .reconnectDelay(Duration.ofMillis(10), Duration.ofMillis(50))
                        .build();
        TestReaderContext context = new TestReaderContext();
        long start = System.currentTimeMillis();
        List<SourceRecord> out;
        try (VideoSourceReader reader =
                reader(
                        context,
                        options,
                        VideoSplit.of(uri, "hall", StreamKind.LIVE, 0, VideoSplit.TO_END))) {
            out = new ReaderRun().pollUntil(reader, Integer.MAX_VALUE).records;
            // Two drops at the end of the clip, then the failed reconnect that exhausts the limit.
            assertThat(context.counter(VideoSourceMetrics.CAMERA_DISCONNECTS)).isEqualTo(3);
            assertThat(context.gauge(VideoSourceMetrics.CAMERAS_CONNECTED)).isEqualTo(0);
        } finally {
            server.stop(0);
        }
        List<SourceRecord> frames = out.subList(0, out.size() - 1);
        assertThat(sequences(frames))
                .as("numbering goes on across the reconnect")
                .containsExactlyElementsOf(
                        LongStream.range(0, 2 * Videos.FACEAPI_FRAMES).boxed().toList());
        assertThat(frames)
                .extracting(r -> r.getFrame().getTimestamp().toEpochMilli())
                .as("live event time is the wall clock at capture")
                .allSatisfy(t -> assertThat(t).isBetween(start, System.currentTimeMillis()))
                .isSorted();
        assertThat(out.get(out.size() - 1).getDeadLetter().getErrorClass())
                .isEqualTo(VideoInputException.CameraUnreachable.class.getName());
    }

    @Test
    void absentWebcamGivesADeadLetterNotACrash() throws Exception {
        VideoSourceOptions once = VideoSourceOptions.builder().maxReconnects(0).build();
        VideoSplit webcam =
                VideoSplit.of("webcam:9", "desk", StreamKind.DEVICE, 0, VideoSplit.TO_END);
        assertThat(readAll(once, webcam))
                .singleElement()
                .satisfies(r -> assertThat(r.getDeadLetter().getSource()).isEqualTo("webcam:9"));
    }

    @Test
    void missingFileAndNonVideoFolderEntryEachGiveOneDeadLetter() throws Exception {
        VideoSplit missing = file(tmp.resolve("nope.mp4"), "missing");
        VideoSplit notes =
                VideoSplit.of(
                        tmp.resolve("notes.txt").toString(),
                        "notes",
                        StreamKind.NOT_VIDEO,
                        0,
                        VideoSplit.TO_END);
        List<SourceRecord> out = readAll(VideoSourceOptions.defaults(), missing, notes);
        assertThat(out)
                .extracting(r -> r.getDeadLetter().getErrorClass())
                .containsExactlyInAnyOrder(
                        VideoInputException.NotFound.class.getName(),
                        VideoInputException.NotAVideo.class.getName());
    }

    @Test
    void splitRestoredAfterItsDeadLetterEmitsNothingMore() throws Exception {
        VideoSplit ended = file(tmp.resolve("gone.mp4"), "gone").at(0, VideoSplit.NONE, true);
        assertThat(readAll(VideoSourceOptions.defaults(), ended)).isEmpty();
    }
}
