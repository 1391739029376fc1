package io.facestream.flink.source;

/**
 * The mutable position of a split while its reader emits it; checkpointed as a {@link VideoSplit}.
 */
final class VideoSplitState {
    private final VideoSplit split;
    private long nextFrameIndex;
    private long resumeAfterUs;
    private boolean ended;

    VideoSplitState(VideoSplit split) {
        this.split = split;
        this.nextFrameIndex = split.nextFrameIndex();
        this.resumeAfterUs = split.resumeAfterUs();
        this.ended = split.ended();
    }

    void advance(FetchedRecord emitted) {
        nextFrameIndex = emitted.nextFrameIndex();
        resumeAfterUs = emitted.resumeAfterUs();
        ended |= emitted.ended();
    }

    VideoSplit toSplit() {
        return split.at(nextFrameIndex, resumeAfterUs, ended);
    }
}
