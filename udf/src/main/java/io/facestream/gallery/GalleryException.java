package io.facestream.gallery;

/**
 * A gallery operation that cannot be done: the store is unreachable or refuses the credentials, the
 * gallery holds another model's embeddings, a vector is malformed, or a key has the wrong type. The
 * message names what was asked, what was found and what to do about it; the Redis client's
 * exception, when there is one, is the cause.
 */
public class GalleryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GalleryException(String message) {
        super(message);
    }

    public GalleryException(String message, Throwable cause) {
        super(message, cause);
    }
}
