package io.facestream.replay;

import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_q2d;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.javacv.FFmpegFrameGrabber;

/**
 * The videos of a replay: files as given, and each folder's files (sorted, not recursive). Files
 * without a video extension are skipped and listed; each video is probed once for its duration and
 * frame count (for the timeline and progress). A probe that fails leaves both unknown (-1): the job
 * then reports the file's error as a dead letter, and the report lists it as failed.
 */
public record ReplayInputs(List<Video> videos, List<Skipped> skipped) {
    /** Extensions taken as video (the video source's list for folders). */
    /**
     * A video to replay; {@code id} is its file name, made unique with {@code ~2}, {@code ~3}.
     * {@code startMs} is the media time of its first frame (MP4 edit lists often start later than
     * 0): the report counts time from there, and so do {@code --from} and {@code --to}. {@code
     * durationMs} is the video stream's length (not the container's, which covers audio).
     */
    public record Video(
            String id, Path path, long startMs, long durationMs, long frames, double fps) {}

    /** An input that is not replayed, and why. */
    public record Skipped(Path path, String reason) {}

    public static ReplayInputs of(List<Path> args) {
        List<Video> videos = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Path arg : args) {
            if (Files.isDirectory(arg)) {
                try (Stream<Path> list = Files.list(arg)) {
                    for (Path f : list.filter(Files::isRegularFile).sorted().toList()) {
                        if (isVideo(f)) {
                            videos.add(probe(f, unique(ids, f)));
                        } else {
                            skipped.add(new Skipped(f, "not a video file (by extension)"));
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot list " + arg, e);
                }
            } else if (!Files.isRegularFile(arg)) {
                throw new IllegalArgumentException("no such video file or folder: " + arg);
            } else {
                videos.add(probe(arg, unique(ids, arg)));
            }
        }
        if (videos.isEmpty()) {
            throw new IllegalArgumentException("no video files among " + args);
        }
        return new ReplayInputs(List.copyOf(videos), List.copyOf(skipped));
    }

    static boolean isVideo(Path f) {
        return io.facestream.flink.source.StreamKind.isVideoFile(f);
    }

    private static String unique(Set<String> ids, Path f) {
        String base = f.getFileName().toString().replaceAll("[^A-Za-z0-9_.-]", "_");
        String id = base;
        for (int n = 2; !ids.add(id); n++) {
            id = base + "~" + n;
        }
        return id;
    }

    /** Duration and frame count from the container; -1 when FFmpeg cannot open the file. */
    static Video probe(Path file, String id) {
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
            g.start();
            AVStream s = g.getFormatContext().streams(g.getVideoStream());
            double timeBase = av_q2d(s.time_base());
            long startMs =
                    s.start_time() == AV_NOPTS_VALUE
                            ? 0
                            : Math.round(s.start_time() * timeBase * 1000);
            long ms =
                    s.duration() == AV_NOPTS_VALUE || s.duration() <= 0
                            ? g.getLengthInTime() / 1000
                            : Math.round(s.duration() * timeBase * 1000);
            long frames =
                    s.nb_frames() > 0
                            ? s.nb_frames()
                            : Math.round(ms * g.getVideoFrameRate() / 1000);
            double fps = g.getVideoFrameRate();
            g.stop();
            return new Video(id, file.toAbsolutePath().normalize(), startMs, ms, frames, fps);
        } catch (Exception e) {
            return new Video(id, file.toAbsolutePath().normalize(), 0, -1, -1, 0);
        }
    }
}
