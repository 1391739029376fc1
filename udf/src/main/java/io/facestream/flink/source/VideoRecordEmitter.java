package io.facestream.flink.source;

import io.facestream.schema.internal.SourceRecord;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.connector.base.source.reader.RecordEmitter;

/**
 * Emits a fetched record with its event time and moves the split's position past it, in that one
 * step on the task thread, so a checkpoint never sees a position ahead of or behind the output.
 * Counts the frame per camera and, for live and paced streams, records its lag (wall clock now −
 * capture time): the time the frame waited in the source before the job took it.
 */
final class VideoRecordEmitter
        implements RecordEmitter<FetchedRecord, SourceRecord, VideoSplitState> {
    private final VideoSourceMetrics metrics;

    VideoRecordEmitter(VideoSourceMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void emitRecord(
            FetchedRecord element, SourceOutput<SourceRecord> output, VideoSplitState state) {
        state.advance(element);
        var frame = element.record().getFrame();
        if (frame != null) {
            long lag =
                    element.captureMs() == FetchedRecord.NO_CAPTURE
                            ? -1
                            : Math.max(0, System.currentTimeMillis() - element.captureMs());
            metrics.camera(frame.getCameraId()).emitted(lag);
        }
        output.collect(element.record(), SourceRecords.timestampOf(element.record()));
    }
}
