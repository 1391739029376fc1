package io.facestream.gallery;

/**
 * One gallery entry among the nearest neighbours of a query.
 *
 * @param entryId the entry's stable id (see {@link GalleryEntry#entryId})
 * @param identity the person the entry was enrolled as
 * @param similarity cosine similarity to the query, in [-1, 1]; higher = more alike
 * @param source where the entry's face came from (file name or URI), for explaining a match
 */
public record Match(String entryId, String identity, float similarity, String source) {}
