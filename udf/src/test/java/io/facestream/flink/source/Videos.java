package io.facestream.flink.source;

import io.facestream.testing.TestData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;

/** The shared sample videos and the broken copies of them the bad-input tests need. */
final class Videos {
    static final int HAMILTON_FRAMES = 275;
    static final int FACEAPI_FRAMES = 5;

    private Videos() {}

    static Path hamilton() {
        return TestData.data("video/hamilton_clip.mp4");
    }

    static Path faceapi() {
        return TestData.data("video/faceapi_5frames.mp4");
    }

    /** The first half of the file's bytes, as a file that was cut while copying would be. */
    static Path truncatedCopy(Path video, Path dir, String name) throws IOException {
        byte[] bytes = Files.readAllBytes(video);
        return Files.write(dir.resolve(name), Arrays.copyOf(bytes, bytes.length / 2));
    }

    /**
     * hamilton_clip.mp4 keeps its index (moov) at the end, so its first half cannot be opened at
     * all. A camera recording or a streaming-friendly MP4 has the index first; this remuxes the
     * video stream that way (packets copied, no re-encoding) so a cut copy opens, plays its first
     * half and then ends early, which is the truncation the source must notice.
     */
    static Path indexFirstCopy(Path video, Path dir, String name) throws IOException {
        Path out = dir.resolve(name);
        try (FFmpegFrameGrabber in = new FFmpegFrameGrabber(video.toFile())) {
            in.start();
            try (FFmpegFrameRecorder rec =
                    new FFmpegFrameRecorder(
                            out.toFile(), in.getImageWidth(), in.getImageHeight(), 0)) {
                rec.setFormat("mp4");
                rec.setOption("movflags", "+faststart");
                rec.setFrameRate(in.getFrameRate());
                rec.setVideoCodec(in.getVideoCodec());
                rec.start(in.getFormatContext());
                AVPacket packet;
                while ((packet = in.grabPacket()) != null) {
                    if (packet.stream_index() == in.getVideoStream()) {
                        rec.recordPacket(packet);
                    }
                }
            }
        }
        return out;
    }

    static Path textAsMp4(Path dir) throws IOException {
        return Files.writeString(
                dir.resolve("notes.mp4"), "not a video, just text\n", StandardCharsets.UTF_8);
    }
}
