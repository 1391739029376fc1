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
