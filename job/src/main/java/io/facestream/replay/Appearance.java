package io.facestream.replay;

import io.facestream.schema.Box;

/**
 * One stretch of time in which one identity (or one unknown face track) is seen in one video. Times
 * are media time in ms (the file's own timestamps); {@code end} is the last frame seen, so a
 * single-frame appearance has {@code start == end}. Similarities are cosine similarities in [-1,
 * 1], higher = closer; for an unknown track they are those of its best (rejected) candidate, or NaN
 * when the faces had no candidate.
 *
 * @param video the video's id (its file name)
 * @param identity the gallery identity, or {@code unknown-N} for the N-th unknown track
 * @param matched true for a gallery identity, false for an unknown track
 * @param ordinal 1-based number of this appearance among the identity's appearances in the video
 * @param startMs media time of the first frame
 * @param endMs media time of the last frame
 * @param frames frames the identity was seen in
 * @param bestSimilarity highest similarity over those faces
 * @param meanSimilarity mean similarity over those faces
 * @param bestSequence frame sequence of the best face (the thumbnail's frame)
 * @param bestBox the best face's box in that frame, pixels
 */
public record Appearance(
        String video,
        String identity,
        boolean matched,
        int ordinal,
        long startMs,
        long endMs,
        int frames,
        double bestSimilarity,
        double meanSimilarity,
        long bestSequence,
        Box bestBox) {

    /** This appearance with its times measured from {@code originMs} (the video's first frame). */
    public Appearance relativeTo(long originMs) {
        return new Appearance(
                video,
                identity,
                matched,
                ordinal,
                startMs - originMs,
                endMs - originMs,
                frames,
                bestSimilarity,
                meanSimilarity,
                bestSequence,
                bestBox);
    }

    /** {@code video_identity_ordinal}, the thumbnail's file stem. */
    public String key() {
        return video + "_" + identity + "_" + ordinal;
    }
}
