package io.facestream.flink.source;

import java.io.Serializable;
import java.util.Objects;
import org.apache.flink.api.connector.source.SourceSplit;

/**
 * One stream (file, live URL or camera device) and how far it has been read. Immutable; the
 * reader's progress is checkpointed as a new split.
 *
 * <p>Position: {@code nextFrameIndex} is the index of the next decoded frame to emit (every decoded
 * frame counts, sampled or not), {@code resumeAfterUs} the media time in µs of the last frame
 * emitted from a file ({@link #NONE} before the first): a restored reader seeks there and drops
 * frames up to it, so no frame is emitted twice or lost. Trim: {@code fromMs} (inclusive) and
 * {@code toMs} (exclusive, {@link #TO_END} = to the end) in media time, files only. {@code ended}
 * is set once the split emitted its DeadLetter, so a restore does not emit it again.
 */
public final class VideoSplit implements SourceSplit, Serializable {
    private static final long serialVersionUID = 1L;

    /** No position yet. */
    public static final long NONE = -1;

    /** Trim end meaning "to the end of the file". */
    public static final long TO_END = Long.MAX_VALUE;

    private final String splitId;
    private final String uri;
    private final String cameraId;
    private final StreamKind kind;
    private final long nextFrameIndex;
    private final long resumeAfterUs;
    private final long fromMs;
    private final long toMs;
    private final boolean ended;

    public VideoSplit(
            String splitId,
            String uri,
            String cameraId,
            StreamKind kind,
            long nextFrameIndex,
            long resumeAfterUs,
            long fromMs,
            long toMs,
            boolean ended) {
        this.splitId = Objects.requireNonNull(splitId, "splitId");
        this.uri = Objects.requireNonNull(uri, "uri");
        this.cameraId = Objects.requireNonNull(cameraId, "cameraId");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.nextFrameIndex = nextFrameIndex;
        this.resumeAfterUs = resumeAfterUs;
        this.fromMs = fromMs;
        this.toMs = toMs;
        this.ended = ended;
    }

    /** A split at the start of its stream; the split id is the camera id (unique per source). */
    public static VideoSplit of(
            String uri, String cameraId, StreamKind kind, long fromMs, long toMs) {
        return new VideoSplit(cameraId, uri, cameraId, kind, 0, NONE, fromMs, toMs, false);
    }

    @Override
    public String splitId() {
        return splitId;
    }

    public String uri() {
        return uri;
    }

    public String cameraId() {
        return cameraId;
    }

    public StreamKind kind() {
        return kind;
    }

    public long nextFrameIndex() {
        return nextFrameIndex;
    }

    public long resumeAfterUs() {
        return resumeAfterUs;
    }

    public long fromMs() {
        return fromMs;
    }

    public long toMs() {
        return toMs;
    }

    public boolean ended() {
        return ended;
    }

    /** This split, advanced to a new position. */
    public VideoSplit at(long nextFrameIndex, long resumeAfterUs, boolean ended) {
        return new VideoSplit(
                splitId, uri, cameraId, kind, nextFrameIndex, resumeAfterUs, fromMs, toMs, ended);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VideoSplit s
                && splitId.equals(s.splitId)
                && uri.equals(s.uri)
                && cameraId.equals(s.cameraId)
                && kind == s.kind
                && nextFrameIndex == s.nextFrameIndex
                && resumeAfterUs == s.resumeAfterUs
                && fromMs == s.fromMs
                && toMs == s.toMs
                && ended == s.ended;
    }

    @Override
    public int hashCode() {
        return Objects.hash(splitId, uri, kind, nextFrameIndex, resumeAfterUs, fromMs, toMs, ended);
    }

    @Override
    public String toString() {
        return "VideoSplit{"
                + splitId
                + " "
                + kind
                + " "
                + uri
                + " next="
                + nextFrameIndex
                + (resumeAfterUs == NONE ? "" : " after=" + resumeAfterUs + "us")
                + (fromMs > 0 || toMs != TO_END ? " trim=[" + fromMs + "," + toMs + ")" : "")
                + (ended ? " ended" : "")
                + "}";
    }
}
