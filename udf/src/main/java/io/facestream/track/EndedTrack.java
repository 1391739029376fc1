package io.facestream.track;

/**
 * A track that ended in a {@link FaceTracker#update} step or in {@link FaceTracker#endAll()}.
 *
 * @param trackId the track's id
 * @param firstSequence frame sequence of its first detection
 * @param lastSequence frame sequence of its last matched detection
 * @param hits frames in which it was matched
 * @param confirmed whether it was ever confirmed (false: a short-lived tentative track, likely a
 *     false detection)
 */
public record EndedTrack(
        long trackId, long firstSequence, long lastSequence, int hits, boolean confirmed) {}
