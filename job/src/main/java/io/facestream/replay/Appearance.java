package io.facestream.replay;

import io.facestream.schema.MatchStatus;

/**
 * One face track's appearance in one video, as the live job announced it when the track ended (a
 * {@code FaceAppearance} ENDED event), with its times measured from the video's first frame and a
 * label for the report. Times are media time in ms; {@code endMs} is the last frame the track was
 * seen in, so a one-frame track has {@code startMs == endMs}.
 *
 * @param video the video's id (its file name), the job's camera id
 * @param trackId the job's track id, unique per video
 * @param identity the gallery identity for a MATCHED track; the pseudonym for an UNKNOWN track that
 *     has one (job run with {@code unknowns.enabled}: the same stranger has the same one in every
 *     video); else {@code unknown-N}, {@code not-recognisable-N} or {@code lookup-failed-N} for the
 *     N-th such track of the video
 * @param status the track's final status: MATCHED, UNKNOWN (embedded, nobody in the gallery),
 *     NOT_RECOGNISABLE (no face of it passed the quality gates) or LOOKUP_FAILED
 * @param reason for NOT_RECOGNISABLE, the quality gate its faces failed most often; else null
 * @param ordinal 1-based number of this appearance among the identity's appearances in the video
 * @param startMs media time of the track's first frame, from the video's first frame
 * @param endMs media time of its last frame, from the video's first frame
 * @param firstSequence frame sequence of its first frame
 * @param lastSequence frame sequence of its last frame
 * @param frames frames the track was seen in
 * @param facesEmbedded faces of the track that were embedded and looked up
 * @param bestSimilarity best cosine similarity in [-1, 1] (higher = closer) to its identity, or to
 *     anyone when UNKNOWN; NaN when no face was looked up
 * @param pseudonym the UNKNOWN track's persistent pseudonym, or null (none given)
 */
public record Appearance(
        String video,
        long trackId,
        String identity,
        MatchStatus status,
        String reason,
        int ordinal,
        long startMs,
        long endMs,
        long firstSequence,
        long lastSequence,
        int frames,
        int facesEmbedded,
        double bestSimilarity,
        String pseudonym) {

    /** True for a gallery identity. */
    public boolean matched() {
        return status == MatchStatus.MATCHED;
    }

    /** An unknown person: a track that was embedded and matched nobody in the gallery. */
    public boolean unknownPerson() {
        return status == MatchStatus.UNKNOWN;
    }

    /** An unknown person with a pseudonym, grouped by it across videos in the report. */
    public boolean pseudonymous() {
        return pseudonym != null;
    }

    /** {@code video_identity_ordinal}, the thumbnail's file stem. */
    public String key() {
        return video + "_" + identity + "_" + ordinal;
    }
}
