package io.facestream.flink;

import io.facestream.model.ModelOptions;
import java.io.Serializable;

/**
 * What {@link EmbedBatcher} needs: the embedder model id (null = manifest default), model options,
 * {@code embed.batch-size} (flush when this many crops wait) and {@code embed.max-delay} (flush the
 * oldest crop after this many milliseconds at the latest).
 */
public record EmbedSettings(String embedderId, ModelOptions models, int batchSize, long maxDelayMs)
        implements Serializable {
    public EmbedSettings {
        if (batchSize < 1) {
            throw new IllegalArgumentException("embed.batch-size must be >= 1, got " + batchSize);
        }
        if (maxDelayMs < 0) {
            throw new IllegalArgumentException("embed.max-delay must be >= 0, got " + maxDelayMs);
        }
    }
}
