package io.facestream.flink.source;

import io.facestream.schema.internal.SourceRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.core.io.InputStatus;

/**
 * Drives a source reader the way a source task does (pollNext, wait on isAvailable) and collects
 * what it emits, up to a limit or the end of input.
 */
final class ReaderRun implements ReaderOutput<SourceRecord> {
    final List<SourceRecord> records = new ArrayList<>();
    final List<Long> timestamps = new ArrayList<>();
    private InputStatus status = InputStatus.MORE_AVAILABLE;

    /** Polls until {@code limit} records in total were collected or the input ended. */
    ReaderRun pollUntil(VideoSourceReader reader, int limit) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (records.size() < limit && status != InputStatus.END_OF_INPUT) {
            status = reader.pollNext(this);
            if (status == InputStatus.NOTHING_AVAILABLE) {
                reader.isAvailable().get(10, TimeUnit.SECONDS);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("reader made no end within 30 s: " + records.size());
            }
        }
        return this;
    }

    boolean ended() {
        return status == InputStatus.END_OF_INPUT;
    }

    @Override
    public void collect(SourceRecord record) {
        collect(record, Long.MIN_VALUE);
    }

    @Override
    public void collect(SourceRecord record, long timestamp) {
        records.add(record);
        timestamps.add(timestamp);
    }

    @Override
    public void emitWatermark(Watermark watermark) {}

    @Override
    public void markIdle() {}

    @Override
    public void markActive() {}

    @Override
    public SourceOutput<SourceRecord> createOutputForSplit(String splitId) {
        return this;
    }

    @Override
    public void releaseOutputForSplit(String splitId) {}
}
