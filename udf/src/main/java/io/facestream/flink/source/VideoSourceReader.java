package io.facestream.flink.source;

import io.facestream.schema.internal.SourceRecord;
import java.util.Map;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reader of a {@link VideoSource} subtask: one fetcher thread decodes all streams assigned to
 * this subtask ({@link VideoSplitReader}), the task thread emits their records. Decoding and JPEG
 * encoding stay off the task thread, so checkpoints and watermarks are not held up by FFmpeg.
 */
final class VideoSourceReader
        extends SingleThreadMultiplexSourceReaderBase<
                FetchedRecord, SourceRecord, VideoSplit, VideoSplitState> {
    private static final Logger LOG = LoggerFactory.getLogger(VideoSourceReader.class);

    VideoSourceReader(VideoSourceOptions options, SourceReaderContext context) {
        this(options, new VideoSourceMetrics(context.metricGroup()), context);
    }

    private VideoSourceReader(
            VideoSourceOptions options, VideoSourceMetrics metrics, SourceReaderContext context) {
        super(
                () -> new VideoSplitReader(options, metrics),
                new VideoRecordEmitter(metrics),
                context.getConfiguration(),
                context);
    }

    @Override
    protected void onSplitFinished(Map<String, VideoSplitState> finishedSplitIds) {
        LOG.info("Video streams finished: {}", finishedSplitIds.keySet());
    }

    @Override
    protected VideoSplitState initializedState(VideoSplit split) {
        return new VideoSplitState(split);
    }

    @Override
    protected VideoSplit toSplitType(String splitId, VideoSplitState state) {
        return state.toSplit();
    }
}
