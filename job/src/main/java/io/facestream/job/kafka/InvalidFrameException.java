package io.facestream.job.kafka;

/**
 * A record that decodes but is no usable frame (no value, no pixels, a non-positive size). Its
 * class name is the {@code errorClass} of the resulting dead letter.
 */
public final class InvalidFrameException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidFrameException(String message) {
        super(message);
    }
}
