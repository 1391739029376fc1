package io.facestream.flink.source;

import io.facestream.schema.internal.SourceRecord;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.connector.base.source.reader.RecordEmitter;

/**
 * Emits a fetched record with its event time and moves the split's position past it, in that one
 * step on the task thread, so a checkpoint never sees a position ahead of or behind the output.
 */
final class VideoRecordEmitter
        implements RecordEmitter<FetchedRecord, SourceRecord, VideoSplitState> {
    @Override
    public void emitRecord(
            FetchedRecord element, SourceOutput<SourceRecord> output, VideoSplitState state) {
        state.advance(element);
        output.collect(element.record(), SourceRecords.timestampOf(element.record()));
    }
}
