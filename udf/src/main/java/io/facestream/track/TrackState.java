package io.facestream.track;

/**
 * Lifecycle of a track (ByteTrack's New / Tracked / Lost / Removed): born TENTATIVE, CONFIRMED
 * after {@link TrackerSettings#minHits()} matches, LOST while a confirmed track goes unmatched,
 * ENDED when a tentative track misses a frame or a lost one stays unmatched longer than {@link
 * TrackerSettings#maxLostFrames()}. Ended tracks leave the tracker's state.
 */
public enum TrackState {
    TENTATIVE,
    CONFIRMED,
    LOST,
    ENDED
}
