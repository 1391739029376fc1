package io.facestream.gallery;

import java.util.SortedMap;

/**
 * What {@link UnknownRegistry} keeps about one stranger.
 *
 * @param id {@code unknown-} and 12 hex digits
 * @param appearances how many appearances (ended tracks) were assigned to it
 * @param firstSeenMillis event time of the earliest appearance
 * @param lastSeenMillis event time of the latest appearance
 * @param cameras appearances per camera id
 * @param vectors how many templates are stored for it
 * @param expiresAtMillis wall-clock time after which it is removed
 */
public record Pseudonym(
        String id,
        long appearances,
        long firstSeenMillis,
        long lastSeenMillis,
        SortedMap<String, Long> cameras,
        int vectors,
        long expiresAtMillis) {}
