package io.facestream.flink.source;

import io.facestream.schema.internal.SourceRecord;

/**
 * What the split reader hands to the task thread: the record plus the split position right after
 * it, which the emitter stores as the split's state when (and only when) the record is emitted.
 *
 * @param nextFrameIndex index of the next decoded frame after this record
 * @param resumeAfterUs media time (µs) of the last frame emitted, {@link VideoSplit#NONE} if none
 * @param ended whether this record is the split's final DeadLetter
 * @param captureMs wall-clock capture time of a live or paced frame, else {@link #NO_CAPTURE}
 */
record FetchedRecord(
        SourceRecord record,
        long nextFrameIndex,
        long resumeAfterUs,
        boolean ended,
        long captureMs) {
    static final long NO_CAPTURE = Long.MIN_VALUE;
}
