package io.facestream.quality;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

/**
 * The job's {@code quality.*} configuration keys, read into {@link QualitySettings}. Defaults and
 * the measurements behind them: docs/quality.md.
 */
public final class QualityOptions {
    private QualityOptions() {}

    public static final ConfigOption<Boolean> ENABLED =
            ConfigOptions.key("quality.enabled")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Gate faces on quality before embedding; false lets every face through.");
    public static final ConfigOption<Float> MIN_INTER_OCULAR =
            ConfigOptions.key("quality.min-inter-ocular")
                    .floatType()
                    .defaultValue(10f)
                    .withDescription(
                            "Smallest frontal-equivalent distance between the eyes, in frame"
                                    + " pixels; smaller faces are TOO_SMALL.");
    public static final ConfigOption<Float> MIN_SHARPNESS =
            ConfigOptions.key("quality.min-sharpness")
                    .floatType()
                    .defaultValue(35f)
                    .withDescription(
                            "Smallest variance of the Laplacian over the centre (eyes to mouth) of the"
                                    + " grey aligned crop; lower is BLURRED.");
    public static final ConfigOption<Float> MAX_YAW =
            ConfigOptions.key("quality.max-yaw")
                    .floatType()
                    .defaultValue(50f)
                    .withDescription(
                            "Largest |yaw| in degrees estimated from the 5 landmarks; more is POSE.");
    public static final ConfigOption<Float> MAX_PITCH =
            ConfigOptions.key("quality.max-pitch")
                    .floatType()
                    .defaultValue(40f)
                    .withDescription(
                            "Largest |pitch| in degrees estimated from the 5 landmarks; more is"
                                    + " POSE.");
    public static final ConfigOption<Float> MIN_SCORE =
            ConfigOptions.key("quality.min-score")
                    .floatType()
                    .defaultValue(0.7f)
                    .withDescription("Smallest detector score in [0, 1]; lower is LOW_SCORE.");

    public static final ConfigOption<Boolean> IDENTIFY_POSE_FACES =
            ConfigOptions.key("quality.identify-pose-faces")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Faces that fail only the pose gate (clear, but seen from the side) are"
                                    + " still embedded on their track's schedule and named only when"
                                    + " their similarity is at least match.min-similarity +"
                                    + " quality.pose-margin; below that they stay NOT_RECOGNISABLE"
                                    + " (POSE), never UNKNOWN. false: never embedded.");
    public static final ConfigOption<Float> POSE_MARGIN =
            ConfigOptions.key("quality.pose-margin")
                    .floatType()
                    .defaultValue(0.10f)
                    .withDescription(
                            "How much more similar than match.min-similarity a face that failed"
                                    + " only the pose gate must be to be named (cosine, >= 0).");

    /**
     * The extra similarity a face that failed only the pose gate needs to be named; {@code
     * +infinity} when such faces are not embedded at all.
     */
    public static float poseMargin(ReadableConfig config) {
        if (!config.get(ENABLED) || !config.get(IDENTIFY_POSE_FACES)) {
            return Float.POSITIVE_INFINITY;
        }
        float m = config.get(POSE_MARGIN);
        if (!(m >= 0)) {
            throw new IllegalArgumentException(POSE_MARGIN.key() + " must be >= 0, got " + m);
        }
        return m;
    }

    /** Reads every {@code quality.*} key, defaults for the missing ones; disabled = all pass. */
    public static QualitySettings fromConfig(ReadableConfig config) {
        if (!config.get(ENABLED)) {
            return QualitySettings.off();
        }
        return new QualitySettings(
                config.get(MIN_INTER_OCULAR),
                config.get(MIN_SHARPNESS),
                config.get(MAX_YAW),
                config.get(MAX_PITCH),
                config.get(MIN_SCORE));
    }
}
