package io.facestream.gallery;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One enrolled face: an embedding and who it is.
 *
 * <p>The entry id is the gallery's key for the entry, so adding an entry whose id is already in the
 * gallery replaces it instead of adding a duplicate; use {@link #entryId} to derive it from the
 * photo, so that re-enrolling the same photo is idempotent. Arrays compare by reference in the
 * generated {@code equals}.
 *
 * @param entryId stable id of the entry, see {@link #entryId}
 * @param identity the person's name, any non-blank text (spaces, quotes, unicode are fine)
 * @param embedderModel id of the model that produced {@code vector} (its vector space)
 * @param dimension length of {@code vector}
 * @param source where the face came from (a file name or URI), shown when explaining a match
 * @param enrolledAtMillis enrol time, epoch milliseconds
 * @param vector the embedding; need not be normalised (the stores compare directions)
 */
public record GalleryEntry(
        String entryId,
        String identity,
        String embedderModel,
        int dimension,
        String source,
        long enrolledAtMillis,
        float[] vector) {

    /** Length of {@link #entryId} values: 128 bits of sha256, ample against collisions. */
    public static final int ENTRY_ID_LENGTH = 32;

    public GalleryEntry {
        requireText(entryId, "entryId");
        requireText(identity, "identity");
        requireText(embedderModel, "embedderModel");
        String what = "entry " + entryId + " (" + identity + ")";
        VectorBlobs.requireUsable(vector, what);
        if (vector.length != dimension) {
            throw new GalleryException(
                    what
                            + ": dimension says "
                            + dimension
                            + " but the vector has "
                            + vector.length
                            + " elements");
        }
        source = source == null ? "" : source;
    }

    /**
     * A content hash of the photo and the face's box: sha256 over the image bytes, then the box
     * rounded to whole pixels (so float noise between runs does not change it), as 32 hex chars.
     */
    public static String entryId(byte[] imageBytes, float x1, float y1, float x2, float y2) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
        sha.update(imageBytes);
        ByteBuffer box = ByteBuffer.allocate(4 * Integer.BYTES);
        box.putInt(Math.round(x1)).putInt(Math.round(y1));
        box.putInt(Math.round(x2)).putInt(Math.round(y2));
        sha.update(box.array());
        return HexFormat.of().formatHex(sha.digest()).substring(0, ENTRY_ID_LENGTH);
    }

    private static void requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new GalleryException("gallery entry: " + field + " is missing");
        }
    }
}
