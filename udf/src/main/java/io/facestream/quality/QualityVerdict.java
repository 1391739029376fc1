package io.facestream.quality;

/**
 * What {@link QualityGate#check} decided for one face.
 *
 * @param pass whether the face is good enough to embed and identify
 * @param reason the first gate the face failed (order: LOW_SCORE, TOO_SMALL, BLURRED, POSE), or
 *     {@code null} when it passed
 * @param quality in [0, 1], higher = better: a product of the score, size, pose and sharpness
 *     factors, used to rank the faces of a track; computed whether or not the face passed
 */
public record QualityVerdict(boolean pass, QualityReason reason, float quality) {
    public QualityVerdict {
        if (pass != (reason == null)) {
            throw new IllegalArgumentException("a verdict has a reason exactly when it fails");
        }
        if (!(quality >= 0 && quality <= 1)) {
            throw new IllegalArgumentException("quality must be in [0, 1], got " + quality);
        }
    }
}
