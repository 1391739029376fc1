package io.facestream.identify;

import io.facestream.analyze.AnalyzedFace;
import io.facestream.gallery.Decision;

/** One face of an image with the gallery's verdict on it. */
public record IdentifiedFace(AnalyzedFace face, Decision decision) {
    /** The name to show: the identity when matched, else "Unknown". */
    public String label() {
        return decision.matched() ? decision.identity() : "Unknown";
    }
}
