package io.facestream.track;

import java.io.Serializable;

/**
 * Rules of a track's {@link IdentityVote}.
 *
 * @param minWins decisions a gallery name must have won before it can become the track's identity
 * @param switchRatio a track named A is renamed B only when B's accumulated weight exceeds A's
 *     times this ratio; higher = stickier names
 */
public record VoteSettings(int minWins, float switchRatio) implements Serializable {

    public VoteSettings {
        if (minWins < 1) {
            throw new IllegalArgumentException("minWins must be at least 1, was " + minWins);
        }
        if (!(switchRatio >= 1f) || Float.isInfinite(switchRatio)) {
            throw new IllegalArgumentException(
                    "switchRatio must be finite and at least 1, was " + switchRatio);
        }
    }

    /**
     * A name needs to lead the track's weighted vote (UNKNOWN decisions included) after at least
     * one win; switching names needs twice the holder's weight. One win, not two: a track seen in
     * few frames (sampled video, every 10th or 25th frame, where a track rarely outlives one frame)
     * would otherwise never be named; the switch rule is what stops flicker.
     */
    public static VoteSettings defaults() {
        return new VoteSettings(1, 2.0f);
    }
}
