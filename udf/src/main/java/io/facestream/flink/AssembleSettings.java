package io.facestream.flink;

import java.io.Serializable;

/**
 * What {@link TrackAssembler} needs: the decision's threshold ({@code match.min-similarity}, a
 * cosine in [-1, 1], higher = stricter) and same-identity margin, the gallery name recorded on each
 * identity, how long a frame waits for its faces ({@code assemble.timeout}), and whether to draw
 * and emit annotated frames ({@code annotate.enabled}) with which JPEG quality, and whether to draw
 * the faces on them ({@code annotate.draw}; when off, the annotated frame carries the original
 * picture, so a consumer such as replay can cut clean thumbnails and draw for itself), and the
 * margin rule ({@code match.min-identity-margin}, 0 = off; see {@code IdentityDecider}).
 */
public record AssembleSettings(
        float minSimilarity,
        float sameIdentityMargin,
        String gallery,
        long timeoutMs,
        boolean annotate,
        int jpegQuality,
        boolean draw,
        float minIdentityMargin)
        implements Serializable {

    /** Without the margin rule. */
    public AssembleSettings(
            float minSimilarity,
            float sameIdentityMargin,
            String gallery,
            long timeoutMs,
            boolean annotate,
            int jpegQuality,
            boolean draw) {
        this(
                minSimilarity,
                sameIdentityMargin,
                gallery,
                timeoutMs,
                annotate,
                jpegQuality,
                draw,
                0f);
    }
}
