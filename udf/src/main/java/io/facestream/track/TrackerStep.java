package io.facestream.track;

import java.util.List;

/**
 * The tracker's answer for one frame.
 *
 * @param sequence the frame's sequence number
 * @param assignments one per input detection, same order
 * @param ended tracks that ended in this step, by increasing id
 */
public record TrackerStep(
        long sequence, List<TrackAssignment> assignments, List<EndedTrack> ended) {

    public TrackerStep {
        assignments = List.copyOf(assignments);
        ended = List.copyOf(ended);
    }
}
