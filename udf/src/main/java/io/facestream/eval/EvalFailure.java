package io.facestream.eval;

/**
 * An input eval could not use, with why. Counted apart from the accuracy figures.
 *
 * @param file the image (or folder, for {@link Reason#EMPTY_FOLDER})
 * @param identity who it was labelled as; null when unknown
 * @param reason the kind of failure
 * @param message details for a person
 */
public record EvalFailure(String file, String identity, Reason reason, String message) {
    /** Why an input was not used. */
    public enum Reason {
        /** The file could not be read (missing, permissions). */
        UNREADABLE,
        /** The bytes are not a decodable image. */
        DECODE_ERROR,
        /** No face was detected. */
        NO_FACE,
        /** Several faces were detected, so the label does not say which is meant. */
        SEVERAL_FACES,
        /** A person's folder holds no images. */
        EMPTY_FOLDER
    }
}
