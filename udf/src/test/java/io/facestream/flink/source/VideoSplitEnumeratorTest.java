package io.facestream.flink.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.api.connector.source.mocks.MockSplitEnumeratorContext;
import org.junit.jupiter.api.Test;

/** Split assignment across readers, failover hand-back, and the checkpoint formats. */
class VideoSplitEnumeratorTest {
    static final List<VideoSplit> SPLITS =
            List.of(
                    VideoSplit.of("/v/a.mp4", "a", StreamKind.FILE, 0, VideoSplit.TO_END),
                    VideoSplit.of("rtsp://cam/b", "b", StreamKind.LIVE, 0, VideoSplit.TO_END),
                    VideoSplit.of("/v/c.mp4", "c", StreamKind.FILE, 2000, 4000));

    static void register(
            MockSplitEnumeratorContext<VideoSplit> ctx, VideoSplitEnumerator e, int id) {
        ctx.registerReader(ReaderInfo.createReaderInfo(id, "localhost", List.of()));
        e.addReader(id);
    }

    static Map<Integer, List<VideoSplit>> assigned(MockSplitEnumeratorContext<VideoSplit> ctx) {
        Map<Integer, List<VideoSplit>> all = new java.util.TreeMap<>();
        for (SplitsAssignment<VideoSplit> a : ctx.getSplitsAssignmentSequence()) {
            a.assignment()
                    .forEach((k, v) -> all.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
        }
        return all;
    }

    @Test
    void waitsForEveryReaderThenDealsStreamsRoundRobinAndSaysNoMore() throws Exception {
        try (MockSplitEnumeratorContext<VideoSplit> ctx = new MockSplitEnumeratorContext<>(2)) {
            VideoSplitEnumerator enumerator = new VideoSplitEnumerator(ctx, SPLITS);
            enumerator.start();
            register(ctx, enumerator, 1);
            assertThat(ctx.getSplitsAssignmentSequence()).as("one reader of two").isEmpty();
            register(ctx, enumerator, 0);
            assertThat(assigned(ctx))
                    .isEqualTo(
                            Map.of(
                                    0,
                                    List.of(SPLITS.get(0), SPLITS.get(2)),
                                    1,
                                    List.of(SPLITS.get(1))));
            assertThat(ctx.hasNoMoreSplits(0)).isTrue();
            assertThat(ctx.hasNoMoreSplits(1)).isTrue();
            assertThat(enumerator.snapshotState(1)).isEmpty();
        }
    }

    @Test
    void splitsHandedBackAfterAFailureGoToTheSameSubtaskWhenItReturns() throws Exception {
        try (MockSplitEnumeratorContext<VideoSplit> ctx = new MockSplitEnumeratorContext<>(2)) {
            VideoSplitEnumerator enumerator = new VideoSplitEnumerator(ctx, SPLITS);
            register(ctx, enumerator, 0);
            register(ctx, enumerator, 1);
            VideoSplit progressed = SPLITS.get(1).at(42, VideoSplit.NONE, false);
            ctx.unregisterReader(1);
            enumerator.addSplitsBack(List.of(progressed), 1);
            assertThat(enumerator.snapshotState(2)).containsExactly(progressed);
            ctx.getSplitsAssignmentSequence().clear();
            register(ctx, enumerator, 1);
            assertThat(assigned(ctx)).isEqualTo(Map.of(1, List.of(progressed)));
        }
    }

    @Test
    void splitAndPendingSplitsSurviveSerialization() throws IOException {
        VideoSplit split =
                VideoSplit.of("rtsp://u:p@cam/x", "gate", StreamKind.LIVE, 0, VideoSplit.TO_END)
                        .at(123_456_789_012L, 9_994_494L, true);
        VideoSplitSerializer s = VideoSplitSerializer.INSTANCE;
        assertThat(s.deserialize(s.getVersion(), s.serialize(split))).isEqualTo(split);

        PendingSplitsSerializer p = PendingSplitsSerializer.INSTANCE;
        Collection<VideoSplit> back = p.deserialize(p.getVersion(), p.serialize(SPLITS));
        assertThat(back).containsExactlyElementsOf(SPLITS);
        assertThat(p.deserialize(p.getVersion(), p.serialize(List.of()))).isEmpty();
    }
}
