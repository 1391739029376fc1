package io.facestream.quality;

/**
 * Why a face was not recognisable, one value per quality gate, in the order {@link QualityGate}
 * checks them: {@link #LOW_SCORE}, {@link #TOO_SMALL}, {@link #POSE}, {@link #BLURRED}.
 */
public enum QualityReason {
    /** Fewer pixels between the eyes (frontal equivalent) than {@code quality.min-inter-ocular}. */
    TOO_SMALL,
    /** Variance of the Laplacian of the aligned crop below {@code quality.min-sharpness}. */
    BLURRED,
    /** |yaw| above {@code quality.max-yaw} or |pitch| above {@code quality.max-pitch}. */
    POSE,
    /** Detector score below {@code quality.min-score}. */
    LOW_SCORE
}
