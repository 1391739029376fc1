package io.facestream.gallery;

import io.facestream.gallery.GalleryOptions.Backend;
import io.facestream.gallery.GalleryOptions.Quantization;

/**
 * What a gallery was created with. The embedder model id names the vector space: only embeddings of
 * that model, of that dimension, may be added to or searched in the gallery.
 *
 * @param name the gallery's name
 * @param embedderModel id of the model whose embeddings the gallery holds
 * @param dimension length of every vector in the gallery
 * @param quantization how the store keeps the vectors (fixed when the gallery is created)
 * @param backend which store holds it; never {@link Backend#AUTO}
 * @param createdAtMillis creation time, epoch milliseconds
 */
public record GalleryInfo(
        String name,
        String embedderModel,
        int dimension,
        Quantization quantization,
        Backend backend,
        long createdAtMillis) {}
