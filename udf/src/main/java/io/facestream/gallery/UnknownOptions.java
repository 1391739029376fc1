package io.facestream.gallery;

import java.io.Serializable;
import java.time.Duration;

/**
 * How strangers get pseudonyms ({@link UnknownRegistry}).
 *
 * @param minSimilarity cosine in [-1, 1] a track's template must reach against a stored template of
 *     a pseudonym to be that pseudonym again; higher = fewer merges of different people, more new
 *     pseudonyms for the same person
 * @param ttl how long a pseudonym is kept after it was last seen (wall clock); then it and every
 *     vector and attribute of it are removed
 * @param maxVectors how many templates (one per appearance) a pseudonym keeps at most; later
 *     appearances still count but add no vector
 */
public record UnknownOptions(float minSimilarity, Duration ttl, int maxVectors)
        implements Serializable {
    public UnknownOptions {
        if (minSimilarity < -1 || minSimilarity > 1) {
            throw new GalleryException(
                    "unknowns.min-similarity = " + minSimilarity + " is not a cosine in [-1, 1]");
        }
        if (ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw new GalleryException("unknowns.ttl = " + ttl + " must be positive");
        }
        if (maxVectors < 1) {
            throw new GalleryException("unknowns.max-vectors = " + maxVectors + " must be >= 1");
        }
    }
}
