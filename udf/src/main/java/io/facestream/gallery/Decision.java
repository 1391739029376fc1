package io.facestream.gallery;

import io.facestream.schema.Candidate;
import io.facestream.schema.MatchStatus;
import java.util.List;

/**
 * Who one face is, as decided by {@link IdentityDecider}.
 *
 * @param status {@link MatchStatus#MATCHED} or {@link MatchStatus#UNKNOWN}
 * @param identity the matched identity; null unless MATCHED
 * @param similarity cosine similarity of the best entry of the decided identity (when MATCHED) or
 *     of the best entry overall (when UNKNOWN), in [-1, 1]; NaN when the gallery returned nothing
 * @param topCandidates one per identity among the top-k, with that identity's best similarity, most
 *     similar first
 */
public record Decision(
        MatchStatus status, String identity, float similarity, List<Candidate> topCandidates) {

    public Decision {
        topCandidates = List.copyOf(topCandidates);
    }

    public boolean matched() {
        return status == MatchStatus.MATCHED;
    }

    /** This decision demoted to UNKNOWN, keeping its similarity and candidates. */
    Decision unknown() {
        return new Decision(MatchStatus.UNKNOWN, null, similarity, topCandidates);
    }
}
