package io.facestream.flink;

import java.io.Serializable;

/**
 * What {@link TrackAssembler} needs: the decision's threshold ({@code match.min-similarity}, a
 * cosine in [-1, 1], higher = stricter) and same-identity margin, the gallery name recorded on each
 * identity, how long a frame waits for its faces ({@code assemble.timeout}), and whether to draw
 * and emit annotated frames ({@code annotate.enabled}) with which JPEG quality, and whether to draw
 * the faces on them ({@code annotate.draw}; when off, the annotated frame carries the original
 * picture, so a consumer such as replay can cut clean thumbnails and draw for itself).
 */
public record AssembleSettings(
        float minSimilarity,
        float sameIdentityMargin,
        String gallery,
        long timeoutMs,
        boolean annotate,
        int jpegQuality,
        boolean draw)
        implements Serializable {}
