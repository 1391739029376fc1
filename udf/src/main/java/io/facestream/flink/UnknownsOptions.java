package io.facestream.flink;

import io.facestream.gallery.RedisTls;
import io.facestream.gallery.UnknownOptions;
import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

/** The job's {@code unknowns.*} configuration keys, read into {@link UnknownSettings}. */
public final class UnknownsOptions {
    private UnknownsOptions() {}

    public static final ConfigOption<Boolean> ENABLED =
            ConfigOptions.key("unknowns.enabled")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Give unidentified people persistent pseudonyms (unknown-...) across"
                                    + " appearances and cameras. Off by default: it stores face"
                                    + " templates of people who never enrolled (biometric data).");
    public static final ConfigOption<Float> MIN_SIMILARITY =
            ConfigOptions.key("unknowns.min-similarity")
                    .floatType()
                    .noDefaultValue()
                    .withDescription(
                            "Cosine in [-1, 1] a track's template must reach against a pseudonym's"
                                    + " to be that pseudonym again (higher = stricter; default:"
                                    + " match.min-similarity).");
    public static final ConfigOption<Duration> TTL =
            ConfigOptions.key("unknowns.ttl")
                    .durationType()
                    .defaultValue(Duration.ofDays(30))
                    .withDescription(
                            "A pseudonym and all its data are removed this long after it was last"
                                    + " seen.");
    public static final ConfigOption<Integer> MAX_VECTORS =
            ConfigOptions.key("unknowns.max-vectors")
                    .intType()
                    .defaultValue(5)
                    .withDescription("Templates kept per pseudonym (one per appearance).");
    public static final ConfigOption<Duration> EXPIRE_INTERVAL =
            ConfigOptions.key("unknowns.expire-interval")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(10))
                    .withDescription("How often the job removes expired pseudonyms.");

    /**
     * The settings, or {@link UnknownSettings#disabled()} when {@code unknowns.enabled} is off.
     *
     * @param defaultMinSimilarity used when {@code unknowns.min-similarity} is not set
     */
    public static UnknownSettings fromConfig(
            ReadableConfig c,
            String redisUrl,
            RedisTls tls,
            String gallery,
            String embedderModel,
            float defaultMinSimilarity) {
        if (!c.get(ENABLED)) {
            return UnknownSettings.disabled();
        }
        if (c.get(EXPIRE_INTERVAL).toMillis() < 1) {
            throw new IllegalArgumentException("unknowns.expire-interval must be positive");
        }
        return new UnknownSettings(
                true,
                redisUrl,
                tls,
                gallery,
                embedderModel,
                new UnknownOptions(
                        c.getOptional(MIN_SIMILARITY).orElse(defaultMinSimilarity),
                        c.get(TTL),
                        c.get(MAX_VECTORS)),
                c.get(EXPIRE_INTERVAL).toMillis());
    }
}
