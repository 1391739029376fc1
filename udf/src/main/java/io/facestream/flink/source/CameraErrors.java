package io.facestream.flink.source;

import java.io.EOFException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Says in plain words why a live stream could not be read. FFmpeg errors reach us as JavaCV
 * messages such as {@code avformat_open_input() error -111: Could not open input "rtsp://…". (Has
 * setFormat() been called?)}: the negative number is an errno or an FFmpeg error tag, and the hint
 * in brackets is about local files, never about a camera. Files get their own words ({@link
 * #describeFile}): JavaCV's hint does not help there either.
 */
final class CameraErrors {
    private static final Pattern CODE = Pattern.compile("error (-\\d+)");
    private static final Pattern USER_INFO =
            Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\\s\"]*@");

    private CameraErrors() {}

    static String describe(Throwable error) {
        if (error instanceof EOFException) {
            return "the stream ended (the camera closed the connection)";
        }
        String message = String.valueOf(error.getMessage());
        Matcher m = CODE.matcher(message);
        if (m.find()) {
            String words = forCode(Integer.parseInt(m.group(1)));
            if (words != null) {
                return words;
            }
        }
        String lower = message.toLowerCase(Locale.ROOT);
        if (lower.contains("timed out") || lower.contains("timeout")) {
            return "no data within source.io-timeout (camera silent or network down)";
        }
        // JavaCV's hints are about local files and its own logging, never about a camera; the
        // message may quote the URI with its password.
        String plain = withoutHints(message);
        return USER_INFO.matcher(plain).replaceAll("$1***@");
    }

    /**
     * Why a file could not be read, in plain words, naming the file: FFmpeg's error for a file (not
     * a video, missing, unreadable, cut off) without JavaCV's hints.
     */
    static String describeFile(Throwable error, String file) {
        String message = String.valueOf(error.getMessage());
        Matcher m = CODE.matcher(message);
        String words = m.find() ? forFileCode(Integer.parseInt(m.group(1))) : null;
        if (words == null) {
            words = withoutHints(message);
        }
        return "cannot read " + file + ": " + words;
    }

    private static String forFileCode(int code) {
        return switch (code) {
            case -1094995529 ->
                    "not a video FFmpeg can read (no known container or codec in it: damaged, or"
                            + " not a video at all)";
            case -2 -> "no such file";
            case -13 -> "permission denied";
            case -5 -> "input/output error while reading the file";
            case -541478725 -> "the file ended before its first frame (empty or cut off)";
            default -> null;
        };
    }

    private static String withoutHints(String message) {
        return message.replace(" (Has setFormat() been called?)", "")
                .replace(
                        " (For more details, make sure FFmpegLogCallback.set() has been called.)",
                        "")
                .trim();
    }

    private static String forCode(int code) {
        return switch (code) {
            case -111 -> "connection refused (nothing listens at that address: camera down?)";
            case -110 -> "connection timed out (camera or network unreachable)";
            case -113, -101 -> "no route to the camera (network unreachable)";
            case -104 -> "connection reset by the camera";
            case -32 -> "connection broken (the camera went away)";
            case -5 -> "input/output error on the connection";
            case -2 -> "no such stream at that address";
            case -541478725 -> "the stream ended (end of file)";
            case -1094995529 -> "the camera sent data FFmpeg cannot decode";
            case -858797304 -> "the camera forbids this stream (403: check the account)";
            case -825242872 -> "the camera denied access (check user and password)";
            case -875574520 -> "no such stream on the camera (404: check the path)";
            default -> null;
        };
    }
}
