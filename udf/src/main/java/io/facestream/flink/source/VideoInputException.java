package io.facestream.flink.source;

import java.io.IOException;

/**
 * A stream the source could not read, detected by the source itself rather than thrown by FFmpeg.
 * Each reason is its own subclass so that {@code DeadLetter.errorClass} tells them apart.
 */
public class VideoInputException extends IOException {
    VideoInputException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The file does not exist or is not a regular file. */
    public static final class NotFound extends VideoInputException {
        NotFound(String message) {
            super(message, null);
        }
    }

    /** The input opened (or was listed) but holds no decodable video stream. */
    public static final class NotAVideo extends VideoInputException {
        NotAVideo(String message) {
            super(message, null);
        }
    }

    /** The file ended before the frame count or duration its container announces. */
    public static final class Truncated extends VideoInputException {
        Truncated(String message) {
            super(message, null);
        }
    }

    /** A live camera could not be (re)connected within {@code source.max-reconnects}. */
    public static final class CameraUnreachable extends VideoInputException {
        CameraUnreachable(String message, Throwable lastError) {
            super(message, lastError);
        }
    }
}
