package io.facestream.gallery;

import java.util.List;

/**
 * One gallery entry among the nearest neighbours of a query.
 *
 * @param entryId the entry's stable id (see {@link GalleryEntry#entryId})
 * @param identity the person the entry was enrolled as
 * @param similarity cosine similarity to the query, in [-1, 1]; higher = more alike
 * @param source where the entry's face came from (file name or URI), for explaining a match
 * @param lists the watchlists the entry's identity is on when it was found, sorted (empty: none)
 */
public record Match(
        String entryId, String identity, float similarity, String source, List<String> lists) {
    public Match {
        lists = lists == null ? List.of() : List.copyOf(lists);
    }

    /** An entry on no watchlist. */
    public Match(String entryId, String identity, float similarity, String source) {
        this(entryId, identity, similarity, source, List.of());
    }
}
