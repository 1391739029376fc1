package io.facestream.model;

/**
 * A model could not be found, verified, opened or run. The message names the model and the file
 * involved; the cause, when there is one, is the engine's own error.
 */
public class ModelException extends RuntimeException {
    public ModelException(String message) {
        super(message);
    }

    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
