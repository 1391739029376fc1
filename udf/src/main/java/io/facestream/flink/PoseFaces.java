package io.facestream.flink;

import io.facestream.gallery.Decision;
import io.facestream.schema.MatchStatus;
import io.facestream.schema.internal.DetectedFace;

/**
 * The rule for faces that failed only the pose gate (clear, but seen from the side): such a face is
 * embedded on its track's schedule like any other, and its decision counts only when it names
 * someone at or above a stricter bar ({@code match.min-similarity + quality.pose-margin}). Below
 * the bar the face is no evidence at all: its record stays NOT_RECOGNISABLE (POSE), never UNKNOWN,
 * because "this face cannot be recognised from this angle" is not "a stranger was here". Measured
 * on the sample clip (docs/quality.md): Obama's side views score 0.41–0.53 against his gallery
 * entries, every other side view at most 0.30. Pure.
 */
final class PoseFaces {
    private PoseFaces() {}

    /** Whether a side view's decision names someone clearly enough to count. */
    static boolean named(Decision dec, float bar) {
        return dec.status() == MatchStatus.MATCHED && dec.similarity() >= bar;
    }

    /** The face as one that passed the gates, for a side view that was named. */
    static DetectedFace passed(DetectedFace d) {
        return DetectedFace.newBuilder(d).setGateReason(null).build();
    }
}
