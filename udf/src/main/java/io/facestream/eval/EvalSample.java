package io.facestream.eval;

import java.nio.file.Path;

/**
 * One usable labelled image: its single face's embedding and aligned crop.
 *
 * @param file the image
 * @param identity who it shows
 * @param entryId the gallery entry id enrolment would give it ({@code GalleryEntry.entryId})
 * @param embedding unit-length embedding of its face
 * @param crop the aligned face as packed 8-bit BGR rows, {@code cropSize×cropSize×3}
 * @param cropSize side of {@code crop} in pixels
 */
public record EvalSample(
        Path file, String identity, String entryId, float[] embedding, byte[] crop, int cropSize) {}
