package io.facestream.flink;

import io.facestream.gallery.GalleryOptions;
import io.facestream.gallery.MatchDecision;
import io.facestream.gallery.RedisTls;
import java.io.Serializable;

/**
 * What {@link GalleryLookupFunction} needs: the Redis URL (may carry credentials: never logged),
 * gallery name and options, {@code match.top-k}, and the size of the lookup's own thread pool
 * ({@code lookup.threads}), which keeps blocking Redis calls off the task thread, and how a {@code
 * rediss://} connection verifies the server ({@code redis.tls.*}; null is the JVM's default trust),
 * and the per-camera watchlists that restrict each camera's searches ({@link WatchSettings}), and
 * what a face is compared with ({@code match.decision}: identity templates or the top-k entries,
 * {@link MatchDecision}). {@link #toString()} shows neither the URL nor the trust store password.
 */
public record LookupSettings(
        String redisUrl,
        String gallery,
        GalleryOptions galleryOptions,
        int topK,
        int threads,
        RedisTls tls,
        WatchSettings watch,
        MatchDecision decision)
        implements Serializable {
    /** With the default decision ({@link MatchDecision#DEFAULT}). */
    public LookupSettings(
            String redisUrl,
            String gallery,
            GalleryOptions galleryOptions,
            int topK,
            int threads,
            RedisTls tls,
            WatchSettings watch) {
        this(redisUrl, gallery, galleryOptions, topK, threads, tls, watch, MatchDecision.DEFAULT);
    }

    /** Every camera searching the whole gallery. */
    public LookupSettings(
            String redisUrl,
            String gallery,
            GalleryOptions galleryOptions,
            int topK,
            int threads,
            RedisTls tls) {
        this(redisUrl, gallery, galleryOptions, topK, threads, tls, WatchSettings.NONE);
    }

    /** With the JVM's default trust for {@code rediss://} URLs. */
    public LookupSettings(
            String redisUrl, String gallery, GalleryOptions galleryOptions, int topK, int threads) {
        this(redisUrl, gallery, galleryOptions, topK, threads, RedisTls.JVM_DEFAULT);
    }

    public LookupSettings {
        tls = tls == null ? RedisTls.JVM_DEFAULT : tls;
        watch = watch == null ? WatchSettings.NONE : watch;
        decision = decision == null ? MatchDecision.DEFAULT : decision;
        if (topK < 1) {
            throw new IllegalArgumentException("match.top-k must be >= 1, got " + topK);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("lookup.threads must be >= 1, got " + threads);
        }
    }

    @Override
    public String toString() {
        return "LookupSettings[gallery="
                + gallery
                + ", topK="
                + topK
                + ", threads="
                + threads
                + ", tls="
                + tls
                + ", watch="
                + watch
                + ", decision="
                + decision.configValue()
                + "]";
    }
}
