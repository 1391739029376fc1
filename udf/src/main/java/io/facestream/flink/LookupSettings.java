package io.facestream.flink;

import io.facestream.gallery.GalleryOptions;
import java.io.Serializable;

/**
 * What {@link GalleryLookupFunction} needs: the Redis URL (may carry credentials: never logged),
 * gallery name and options, {@code match.top-k}, and the size of the lookup's own thread pool
 * ({@code lookup.threads}), which keeps blocking Redis calls off the task thread.
 */
public record LookupSettings(
        String redisUrl, String gallery, GalleryOptions galleryOptions, int topK, int threads)
        implements Serializable {
    public LookupSettings {
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
                + "]";
    }
}
