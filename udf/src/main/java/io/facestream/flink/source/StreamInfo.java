package io.facestream.flink.source;

import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_q2d;

import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.javacv.FFmpegFrameGrabber;

/**
 * What a file's container says about its video stream: the media time of its first frame, its frame
 * rate and how many frames it announces (the sample count, else duration × rate; 0 when unknown).
 * Used to number frames after a seek and to tell a truncated file from a complete one. The
 * container's own duration is not used: it covers the audio too, which may outlast the video.
 */
record StreamInfo(long startUs, double fps, long expectedFrames) {
    static final long UNKNOWN = Long.MIN_VALUE;

    static StreamInfo of(FFmpegFrameGrabber grabber) {
        AVStream s = grabber.getFormatContext().streams(grabber.getVideoStream());
        double timeBase = av_q2d(s.time_base());
        long startUs =
                s.start_time() == AV_NOPTS_VALUE
                        ? UNKNOWN
                        : Math.round(s.start_time() * timeBase * 1e6);
        double fps = grabber.getVideoFrameRate();
        long expected = s.nb_frames();
        if (expected <= 0 && s.duration() != AV_NOPTS_VALUE && s.duration() > 0 && fps > 0) {
            expected = Math.round(s.duration() * timeBase * fps);
        }
        return new StreamInfo(startUs, fps, Math.max(0, expected));
    }

    /** Whether {@link #indexAt} can number a frame reached by seeking. */
    boolean canNumberBySeek() {
        return startUs != UNKNOWN && fps > 0;
    }

    /** Index of the frame at {@code ptsUs}, assuming a constant frame rate from the first frame. */
    long indexAt(long ptsUs) {
        return Math.max(0, Math.round((ptsUs - startUs) * fps / 1e6));
    }
}
