package io.facestream.embed;

/** The embedder produced something that is not a usable vector (NaN, infinity, zero). */
public class EmbeddingException extends RuntimeException {
    public EmbeddingException(String message) {
        super(message);
    }
}
