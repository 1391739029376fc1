package io.facestream.flink.source;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a stream URI points at, which decides how it is opened and how failures end: a file is read
 * once (bounded) and a failure ends it with a DeadLetter; a live stream or a local camera device is
 * reconnected with backoff; a file in a folder that is not a video is reported, never opened.
 */
public enum StreamKind {
    /** A local video file: bounded, seekable, event time = media time. */
    FILE,
    /** A network stream (RTSP, RTMP, HTTP, UDP, SRT): unbounded, reconnected when it drops. */
    LIVE,
    /** A local capture device ({@code webcam:N}, {@code /dev/videoN}) read through v4l2. */
    DEVICE,
    /** A file found in a folder whose extension is not a video's: becomes one DeadLetter. */
    NOT_VIDEO;

    /** Extensions taken as video when a folder is expanded; anything else is NOT_VIDEO. */
    static final Set<String> VIDEO_EXTENSIONS =
            Set.of(
                    "mp4", "m4v", "mov", "mkv", "webm", "avi", "mpg", "mpeg", "ts", "mts", "m2ts",
                    "flv", "wmv", "3gp", "ogv", "mjpeg", "mjpg", "h264", "264", "hevc", "h265");

    private static final Pattern WEBCAM = Pattern.compile("webcam:(\\d+)");
    private static final Pattern NETWORK =
            Pattern.compile("(rtsps?|rtmps?|https?|udp|tcp|srt|rtp|mmsh?)://.*", Pattern.DOTALL);

    /** Classifies a URI as given to the builder (a path, {@code file:}, a URL or a device). */
    public static StreamKind of(String uri) {
        String lower = uri.toLowerCase(Locale.ROOT);
        if (WEBCAM.matcher(lower).matches() || lower.startsWith("/dev/video")) {
            return DEVICE;
        }
        return NETWORK.matcher(lower).matches() ? LIVE : FILE;
    }

    /** FILE for a name with a video extension, else NOT_VIDEO (folder expansion only). */
    static StreamKind ofFolderEntry(Path file) {
        return isVideoFile(file) ? FILE : NOT_VIDEO;
    }

    /** Whether a file name has one of the video extensions folder expansion accepts. */
    public static boolean isVideoFile(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return VIDEO_EXTENSIONS.contains(ext);
    }

    /** The device path of a DEVICE URI: {@code webcam:0} is {@code /dev/video0}. */
    static String devicePath(String uri) {
        Matcher m = WEBCAM.matcher(uri.toLowerCase(Locale.ROOT));
        return m.matches() ? "/dev/video" + m.group(1) : uri;
    }

    /** The local path of a FILE URI ({@code file:} URIs included). */
    static Path filePath(String uri) {
        return uri.startsWith("file:") ? Path.of(java.net.URI.create(uri)) : Path.of(uri);
    }

    boolean isBounded() {
        return this == FILE || this == NOT_VIDEO;
    }
}
