package io.facestream.flink.source;

import io.facestream.schema.DeadLetter;
import io.facestream.schema.Frame;
import io.facestream.schema.FrameEncoding;
import io.facestream.schema.internal.SourceRecord;
import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * Builds the two shapes of {@link SourceRecord} (exactly one of frame / deadLetter set) and reads
 * back the event time of either, which is what the watermark strategy needs.
 */
public final class SourceRecords {
    /** The {@code DeadLetter.stage} of every failure of this source. */
    public static final String STAGE = "source";

    private SourceRecords() {}

    static SourceRecord frame(
            String cameraId,
            long sequence,
            long timestampMs,
            int width,
            int height,
            FrameEncoding encoding,
            byte[] data,
            String sourceUri) {
        Frame frame =
                Frame.newBuilder()
                        .setCameraId(cameraId)
                        .setSequence(sequence)
                        .setTimestamp(Instant.ofEpochMilli(timestampMs))
                        .setWidth(width)
                        .setHeight(height)
                        .setEncoding(encoding)
                        .setData(ByteBuffer.wrap(data))
                        .setSourceUri(sourceUri)
                        .build();
        return SourceRecord.newBuilder().setFrame(frame).build();
    }

    /**
     * A DeadLetter for a stream. {@code timestampMs} is event time on the stream's own clock (media
     * time for files), so a failed file does not push its split's watermark into the present and
     * make the frames of other files late.
     */
    static SourceRecord deadLetter(String uri, Throwable error, String message, long timestampMs) {
        DeadLetter dl =
                DeadLetter.newBuilder()
                        .setSource(uri)
                        .setStage(STAGE)
                        .setErrorClass(error.getClass().getName())
                        .setErrorMessage(message)
                        .setPayload(null)
                        .setPayloadTruncated(false)
                        .setTimestamp(Instant.ofEpochMilli(timestampMs))
                        .build();
        return SourceRecord.newBuilder().setDeadLetter(dl).build();
    }

    /** Event time of a record: the frame's timestamp, else the DeadLetter's. */
    public static long timestampOf(SourceRecord record) {
        return record.getFrame() != null
                ? record.getFrame().getTimestamp().toEpochMilli()
                : record.getDeadLetter().getTimestamp().toEpochMilli();
    }
}
