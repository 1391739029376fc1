package io.facestream.flink.source;

import java.util.Locale;
import java.util.regex.Pattern;
import org.bytedeco.javacv.FFmpegFrameGrabber;

/**
 * Creates the FFmpeg grabber for a split, configured for its kind: a plain file; a capture device
 * through the {@code v4l2} input format; a network stream with a read timeout (so a silent camera
 * counts as dropped instead of blocking the fetcher forever) and, for RTSP, the chosen transport.
 * Also masks credentials in URIs before they leave the source in records or logs.
 */
final class Grabbers {
    static {
        // FFmpeg writes its own log lines ("[tcp @ 0x…] Connection refused") straight to stderr;
        // route them through SLF4J (logger org.bytedeco.javacv.FFmpegLogCallback) so the logging
        // configuration decides where they go. Errors only: at INFO FFmpeg prints every stream's
        // metadata. Our own messages say what a failure means for the camera.
        if (System.getProperty("org.bytedeco.javacpp.logger") == null) {
            System.setProperty("org.bytedeco.javacpp.logger", "slf4j");
        }
        org.bytedeco.javacv.FFmpegLogCallback.set();
        org.bytedeco.ffmpeg.global.avutil.av_log_set_level(
                org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR);
    }

    private static final Pattern USER_INFO =
            Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@]*@");

    private Grabbers() {}

    static FFmpegFrameGrabber create(VideoSplit split, VideoSourceOptions options) {
        String uri = split.uri();
        switch (split.kind()) {
            case FILE:
                return new FFmpegFrameGrabber(StreamKind.filePath(uri).toFile());
            case DEVICE:
                FFmpegFrameGrabber device = new FFmpegFrameGrabber(StreamKind.devicePath(uri));
                device.setFormat("v4l2");
                return device;
            case LIVE:
                FFmpegFrameGrabber live = new FFmpegFrameGrabber(uri);
                String timeoutUs = Long.toString(options.ioTimeout().toNanos() / 1000);
                if (uri.toLowerCase(Locale.ROOT).startsWith("rtsp")) {
                    live.setOption("rtsp_transport", options.rtspTransport());
                    // The RTSP demuxer's socket I/O timeout, in microseconds.
                    live.setOption("timeout", timeoutUs);
                } else {
                    live.setOption("rw_timeout", timeoutUs);
                }
                return live;
            default:
                throw new IllegalArgumentException("no grabber for " + split.kind() + " " + uri);
        }
    }

    /** The URI with any {@code user:password@} replaced by {@code ***@}. */
    static String redact(String uri) {
        return USER_INFO.matcher(uri).replaceFirst("$1***@");
    }
}
