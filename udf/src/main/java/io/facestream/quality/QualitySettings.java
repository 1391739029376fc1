package io.facestream.quality;

/**
 * Thresholds of the quality gates; a face passes when every measure is on the good side. Defaults
 * were chosen from measurements on the shared photos and clip (docs/quality.md).
 *
 * @param minInterOcular smallest frontal inter-ocular distance in frame pixels ({@link
 *     FaceQuality#frontalInterOcular()}); below it TOO_SMALL
 * @param minSharpness smallest variance of the Laplacian of the aligned crop; below it BLURRED
 * @param maxYaw largest |yaw| in degrees; above it POSE
 * @param maxPitch largest |pitch| in degrees; above it POSE
 * @param minScore smallest detector score in [0, 1]; below it LOW_SCORE
 */
public record QualitySettings(
        float minInterOcular, float minSharpness, float maxYaw, float maxPitch, float minScore)
        implements java.io.Serializable {

    public QualitySettings {
        require(minInterOcular >= 0, QualityOptions.MIN_INTER_OCULAR.key(), minInterOcular, ">= 0");
        require(minSharpness >= 0, QualityOptions.MIN_SHARPNESS.key(), minSharpness, ">= 0");
        require(maxYaw > 0 && maxYaw <= 90, QualityOptions.MAX_YAW.key(), maxYaw, "in (0, 90]");
        require(
                maxPitch > 0 && maxPitch <= 90,
                QualityOptions.MAX_PITCH.key(),
                maxPitch,
                "in (0, 90]");
        require(
                minScore >= 0 && minScore <= 1,
                QualityOptions.MIN_SCORE.key(),
                minScore,
                "in [0, 1]");
    }

    /** The measured defaults (docs/quality.md). */
    public static QualitySettings defaults() {
        return new QualitySettings(
                QualityOptions.MIN_INTER_OCULAR.defaultValue(),
                QualityOptions.MIN_SHARPNESS.defaultValue(),
                QualityOptions.MAX_YAW.defaultValue(),
                QualityOptions.MAX_PITCH.defaultValue(),
                QualityOptions.MIN_SCORE.defaultValue());
    }

    /** Gates that pass every face ({@code quality.enabled=false}); quality is still ranked. */
    public static QualitySettings off() {
        return new QualitySettings(0f, 0f, 90f, 90f, 0f);
    }

    /** Same as {@link QualityOptions#fromConfig}. */
    public static QualitySettings fromConfig(org.apache.flink.configuration.ReadableConfig config) {
        return QualityOptions.fromConfig(config);
    }

    private static void require(boolean ok, String key, float value, String rule) {
        // Written so that NaN fails too.
        if (!ok) {
            throw new IllegalArgumentException(key + " must be " + rule + ", got " + value);
        }
    }
}
