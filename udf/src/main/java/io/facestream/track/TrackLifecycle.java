package io.facestream.track;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The state machine of one track (see {@link TrackState}). Missed frames are counted as sequence
 * numbers since the last match, so frames that never reached the tracker (dropped or sampled out)
 * count towards {@link TrackerSettings#maxLostFrames()} like frames without the face. A tentative
 * track, though, is ended only by a frame that arrived without it: a gap in the sequence is no
 * evidence against it, and ending tentative tracks on gaps would confirm nothing on a sampled
 * stream.
 */
final class TrackLifecycle {
    private TrackState state;
    private int hits;
    private final long firstSequence;
    private long lastMatched;
    private boolean confirmed;

    private TrackLifecycle(TrackState state, int hits, long firstSequence, long lastMatched) {
        this.state = state;
        // Only live tracks are stored: any state but TENTATIVE means confirmed at some point.
        this.confirmed = state != TrackState.TENTATIVE;
        this.hits = hits;
        this.firstSequence = firstSequence;
        this.lastMatched = lastMatched;
    }

    /** A track born from a detection at {@code sequence}. */
    static TrackLifecycle born(long sequence, int minHits) {
        return new TrackLifecycle(
                minHits <= 1 ? TrackState.CONFIRMED : TrackState.TENTATIVE, 1, sequence, sequence);
    }

    /** Matched at {@code sequence}: one more hit; lost tracks are found again. */
    void onMatch(long sequence, int minHits) {
        hits++;
        lastMatched = sequence;
        if (state != TrackState.TENTATIVE || hits >= minHits) {
            state = TrackState.CONFIRMED;
            confirmed = true;
        }
    }

    /** Not matched in the frame {@code sequence}, which arrived. */
    void onMiss(long sequence, int maxLostFrames) {
        if (state == TrackState.TENTATIVE || sequence - lastMatched > maxLostFrames) {
            state = TrackState.ENDED;
        } else {
            state = TrackState.LOST;
        }
    }

    /**
     * Before frame {@code sequence} is associated: ends the track when the frames missed in between
     * already exceed {@code maxLostFrames}, so it cannot be matched any more.
     */
    void expire(long sequence, int maxLostFrames) {
        if (sequence - lastMatched - 1 > maxLostFrames) {
            state = TrackState.ENDED;
        }
    }

    /** Ends the track now (end of stream). */
    void end() {
        state = TrackState.ENDED;
    }

    TrackState state() {
        return state;
    }

    boolean ended() {
        return state == TrackState.ENDED;
    }

    /** Whether the track was ever confirmed: only confirmed tracks can be lost. */
    boolean confirmed() {
        return confirmed;
    }

    int hits() {
        return hits;
    }

    long firstSequence() {
        return firstSequence;
    }

    long lastMatched() {
        return lastMatched;
    }

    void write(DataOutput out) throws IOException {
        out.writeByte(state.ordinal());
        out.writeInt(hits);
        out.writeLong(firstSequence);
        out.writeLong(lastMatched);
    }

    static TrackLifecycle read(DataInput in) throws IOException {
        TrackState state = TrackState.values()[in.readByte()];
        return new TrackLifecycle(state, in.readInt(), in.readLong(), in.readLong());
    }
}
