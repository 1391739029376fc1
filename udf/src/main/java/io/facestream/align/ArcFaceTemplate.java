package io.facestream.align;

/**
 * The five ArcFace reference points (insightface {@code arcface_dst}) for a square crop. For 112
 * they are the canonical values; for a size divisible by 112 they scale by {@code size/112}; for
 * other sizes (the 128 variant) they scale by {@code size/128} and shift right by {@code
 * 8·size/128}, which keeps the face centred in the wider crop.
 */
public final class ArcFaceTemplate {
    private static final float[] BASE = {
        38.2946f, 51.6963f, 73.5318f, 51.5014f, 56.0252f, 71.7366f, 41.5493f, 92.3655f, 70.7299f,
        92.2041f
    };

    private ArcFaceTemplate() {}

    /** Landmark targets {@code x0,y0,...,x4,y4} for a {@code size}×{@code size} crop. */
    public static float[] forSize(int size) {
        float ratio;
        float shiftX;
        if (size % 112 == 0) {
            ratio = size / 112f;
            shiftX = 0f;
        } else {
            ratio = size / 128f;
            shiftX = 8f * ratio;
        }
        float[] out = new float[10];
        for (int k = 0; k < 5; k++) {
            out[2 * k] = BASE[2 * k] * ratio + shiftX;
            out[2 * k + 1] = BASE[2 * k + 1] * ratio;
        }
        return out;
    }
}
