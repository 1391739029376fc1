package io.facestream.detect;

import java.io.Serializable;

/**
 * Detector settings. {@code minDetectionScore} and {@code nmsIou} of {@code NaN} take the
 * manifest's defaults for the model. {@code padFraction} adds that fraction of the image's width
 * and height as a black border on every side before detection: tight head-shot crops (a face
 * filling the image) are missed without it; 0.4 suits 150×150 crops.
 */
public record DetectorOptions(float minDetectionScore, float nmsIou, float padFraction)
        implements Serializable {

    public static final DetectorOptions DEFAULT = new DetectorOptions(Float.NaN, Float.NaN, 0f);

    public DetectorOptions {
        if (!Float.isNaN(minDetectionScore) && (minDetectionScore < 0 || minDetectionScore > 1)) {
            throw new IllegalArgumentException(
                    "detect.min-score must be in [0, 1], got " + minDetectionScore);
        }
        if (!Float.isNaN(nmsIou) && (nmsIou <= 0 || nmsIou > 1)) {
            throw new IllegalArgumentException("detect.nms-iou must be in (0, 1], got " + nmsIou);
        }
        if (padFraction < 0 || padFraction > 2) {
            throw new IllegalArgumentException("detect.pad must be in [0, 2], got " + padFraction);
        }
    }

    public DetectorOptions withPad(float pad) {
        return new DetectorOptions(minDetectionScore, nmsIou, pad);
    }

    public DetectorOptions withMinScore(float score) {
        return new DetectorOptions(score, nmsIou, padFraction);
    }
}
