package io.facestream.flink.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Collects the streams of a {@link VideoSource}. Every stream gets a camera id, which is also its
 * split id and the Kafka key downstream, so ids must be unique. A folder is listed here, when the
 * job is built (not recursively): each file becomes a stream with the camera id {@code prefix +
 * file name}; files without a video extension become streams that only report a DeadLetter.
 */
public final class VideoSourceBuilder {
    /** {@code cameraId=uri} in a URI list; the id may not contain ':' or '/' (URIs do). */
    private static final Pattern NAMED = Pattern.compile("([A-Za-z0-9_.-]+)=(.+)", Pattern.DOTALL);

    private final Map<String, VideoSplit> splits = new LinkedHashMap<>();
    private VideoSourceOptions options = VideoSourceOptions.defaults();

    VideoSourceBuilder() {}

    /** A whole video file. */
    public VideoSourceBuilder addFile(Path file, String cameraId) {
        return addFile(file, cameraId, 0, VideoSplit.TO_END);
    }

    /**
     * The part {@code [fromMs, toMs)} of a video file, in media time (ms, as the file's timestamps
     * count); {@code toMs} = {@link VideoSplit#TO_END} reads to the end.
     */
    public VideoSourceBuilder addFile(Path file, String cameraId, long fromMs, long toMs) {
        if (fromMs < 0 || toMs <= fromMs) {
            throw new IllegalArgumentException(
                    "trim of "
                            + file
                            + " must satisfy 0 <= from < to, got ["
                            + fromMs
                            + ", "
                            + toMs
                            + ") ms");
        }
        String uri = file.toAbsolutePath().normalize().toString();
        return add(VideoSplit.of(uri, cameraId, StreamKind.FILE, fromMs, toMs));
    }

    /** Every file in {@code folder}, camera id = {@code cameraIdPrefix} + file name. */
    public VideoSourceBuilder addFolder(Path folder, String cameraIdPrefix) {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("not a folder of videos: " + folder);
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(folder)) {
            files = list.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
        for (Path f : files) {
            String uri = f.toAbsolutePath().normalize().toString();
            String cameraId = cameraIdPrefix + f.getFileName();
            add(VideoSplit.of(uri, cameraId, StreamKind.ofFolderEntry(f), 0, VideoSplit.TO_END));
        }
        return this;
    }

    /**
     * A stream by URI: a file path or {@code file:} URI, a folder (camera ids {@code cameraId/} +
     * file name), {@code rtsp://…} and other network URLs, {@code webcam:N} or {@code /dev/videoN}.
     */
    public VideoSourceBuilder addUri(String uri, String cameraId) {
        StreamKind kind = StreamKind.of(uri);
        if (kind == StreamKind.FILE) {
            Path path = StreamKind.filePath(uri);
            return Files.isDirectory(path)
                    ? addFolder(path, cameraId + "/")
                    : addFile(path, cameraId);
        }
        return add(VideoSplit.of(uri, cameraId, kind, 0, VideoSplit.TO_END));
    }

    /**
     * Streams from a list such as a CLI gives: each entry is {@code cameraId=uri} or a bare URI,
     * whose camera id is then derived: the file name, the folder's file names, the device name, or
     * host and path of a URL (without credentials).
     */
    public VideoSourceBuilder addUris(List<String> uris) {
        for (String entry : uris) {
            Matcher named = NAMED.matcher(entry);
            if (named.matches()) {
                addUri(named.group(2), named.group(1));
                continue;
            }
            StreamKind kind = StreamKind.of(entry);
            Path path = kind == StreamKind.FILE ? StreamKind.filePath(entry) : null;
            if (path != null && Files.isDirectory(path)) {
                addFolder(path, "");
            } else {
                addUri(entry, defaultCameraId(entry, kind, path));
            }
        }
        return this;
    }

    public VideoSourceBuilder options(VideoSourceOptions options) {
        this.options = java.util.Objects.requireNonNull(options, "options");
        return this;
    }

    public VideoSource build() {
        if (splits.isEmpty()) {
            throw new IllegalArgumentException(
                    "a VideoSource needs at least one stream: add a file, folder or URI");
        }
        return new VideoSource(new ArrayList<>(splits.values()), options);
    }

    private VideoSourceBuilder add(VideoSplit split) {
        if (split.cameraId().isBlank()) {
            throw new IllegalArgumentException("camera id of " + split.uri() + " is blank");
        }
        VideoSplit before = splits.putIfAbsent(split.splitId(), split);
        if (before != null) {
            throw new IllegalArgumentException(
                    "camera id '"
                            + split.cameraId()
                            + "' is used by both "
                            + before.uri()
                            + " and "
                            + split.uri()
                            + ": it keys the split and the records downstream, so it must be"
                            + " unique");
        }
        return this;
    }

    private static String defaultCameraId(String uri, StreamKind kind, Path path) {
        if (path != null) {
            return path.getFileName().toString();
        }
        if (kind == StreamKind.DEVICE) {
            return Path.of(StreamKind.devicePath(uri)).getFileName().toString();
        }
        String shown = Grabbers.redact(uri);
        return shown.substring(shown.indexOf("://") + 3).replace("***@", "");
    }
}
