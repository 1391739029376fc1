package io.facestream.testing;

/**
 * A local Redis server that cannot be found, started or reached; the message says which and why.
 */
public final class LocalRedisException extends IllegalStateException {
    public LocalRedisException(String message) {
        super(message);
    }

    public LocalRedisException(String message, Throwable cause) {
        super(message, cause);
    }
}
