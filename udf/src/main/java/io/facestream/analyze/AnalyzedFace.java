package io.facestream.analyze;

import io.facestream.detect.Face;
import java.io.Serializable;

/**
 * One face of an analysed image: the detection (box, landmarks, score in original pixels), the
 * aligned crop as packed 8-bit BGR rows ({@code cropSize×cropSize×3}, for thumbnails), the
 * alignment residual in crop pixels, and the unit-length embedding.
 */
public record AnalyzedFace(
        int index, Face face, byte[] crop, int cropSize, double alignResidual, float[] embedding)
        implements Serializable {}
