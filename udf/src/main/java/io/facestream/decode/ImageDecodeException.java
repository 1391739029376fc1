package io.facestream.decode;

/** Input bytes that are not a usable image; the message says why and names the source. */
public class ImageDecodeException extends RuntimeException {
    private final String source;

    public ImageDecodeException(String source, String reason) {
        super(source + ": " + reason);
        this.source = source;
    }

    public ImageDecodeException(String source, String reason, Throwable cause) {
        super(source + ": " + reason, cause);
        this.source = source;
    }

    /** Where the bytes came from: a file path, a topic/partition/offset, a camera. */
    public String source() {
        return source;
    }
}
