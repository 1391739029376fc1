package io.facestream.track;

/**
 * What the tracker decided for one detection; {@link TrackerStep#assignments()} holds one per input
 * detection, at the same index.
 *
 * @param trackId the track the detection belongs to, unique per camera, from 1 up
 * @param state the track's state after this frame: TENTATIVE or CONFIRMED
 * @param newTrack whether the track was started by this detection
 * @param embed whether this face should be embedded (see {@link EmbedSchedule})
 */
public record TrackAssignment(long trackId, TrackState state, boolean newTrack, boolean embed) {}
