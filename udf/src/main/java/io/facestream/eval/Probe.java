package io.facestream.eval;

import io.facestream.gallery.Match;
import java.util.List;

/**
 * One probe image searched against the gallery.
 *
 * @param file where the probe came from
 * @param identity who it really is
 * @param enrolled whether {@code identity} is in the gallery (false: a stranger)
 * @param topK the gallery's top-k entries for it, most similar first, as the identify path sees
 *     them
 */
public record Probe(String file, String identity, boolean enrolled, List<Match> topK) {
    public Probe {
        topK = List.copyOf(topK);
    }
}
