package io.facestream.track;

/**
 * One detection of a frame, the tracker's input.
 *
 * @param x1 left edge, frame pixels
 * @param y1 top edge, frame pixels
 * @param x2 right edge, frame pixels, at least x1
 * @param y2 bottom edge, frame pixels, at least y1
 * @param score detector confidence in [0, 1], higher = more certain a face
 * @param quality face quality in [0, 1], higher = better for recognition
 * @param passesGate whether the face may be embedded: it passed the quality gates, or failed only
 *     the pose gate while such faces are identified (only these are scheduled for embedding, unless
 *     the schedule embeds every frame)
 */
public record Detection(
        float x1, float y1, float x2, float y2, float score, float quality, boolean passesGate) {

    public Detection {
        if (!(Float.isFinite(x1)
                && Float.isFinite(y1)
                && Float.isFinite(x2)
                && Float.isFinite(y2)
                && x2 >= x1
                && y2 >= y1)) {
            throw new IllegalArgumentException(
                    "box must be finite with x2 >= x1 and y2 >= y1, was ("
                            + x1
                            + ", "
                            + y1
                            + ", "
                            + x2
                            + ", "
                            + y2
                            + ")");
        }
        if (!Float.isFinite(score) || !Float.isFinite(quality)) {
            throw new IllegalArgumentException(
                    "score and quality must be finite, were " + score + " and " + quality);
        }
    }
}
