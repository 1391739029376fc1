package io.facestream.flink;

import io.facestream.gallery.RedisTls;
import io.facestream.gallery.UnknownOptions;
import java.io.Serializable;

/**
 * What {@link UnknownAssigner} needs ({@code unknowns.*}): whether strangers get pseudonyms at all
 * (off by default: they are biometric data), the Redis URL (may carry credentials: never logged)
 * and TLS trust, the gallery whose namespace holds them, the embedder model of the templates, the
 * matching and retention rules, and how often the job removes expired pseudonyms ({@code
 * unknowns.expire-interval}).
 */
public record UnknownSettings(
        boolean enabled,
        String redisUrl,
        RedisTls tls,
        String gallery,
        String embedderModel,
        UnknownOptions options,
        long expireIntervalMs)
        implements Serializable {
    public static UnknownSettings disabled() {
        return new UnknownSettings(false, null, null, null, null, null, 0);
    }

    @Override
    public String toString() {
        return "UnknownSettings[enabled="
                + enabled
                + ", gallery="
                + gallery
                + ", options="
                + options
                + ", expireIntervalMs="
                + expireIntervalMs
                + "]";
    }
}
