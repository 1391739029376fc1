package io.facestream.flink.source;

import io.facestream.schema.internal.SourceRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one split: opens its grabber lazily, positions it (trim start or restored position),
 * decodes, numbers, samples and encodes frames, and turns every failure into the split's end with a
 * DeadLetter (files) or a reconnect with backoff (live streams and devices). Runs on the fetcher
 * thread only.
 *
 * <p>Frame numbering counts every decoded frame from the start of the stream. After a seek (trim
 * start) the first frame's number comes from its media time and the frame rate; after a restore,
 * from the checkpointed index. A seek that lands past the wanted position falls back to decoding
 * from the start, so a frame is never silently skipped.
 */
final class StreamCursor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamCursor.class);

    /** Seek this far before the wanted position: FFmpeg lands on a keyframe at or before it. */
    private static final long SEEK_MARGIN_US = 1_000_000;

    private final VideoSplit split;
    private final VideoSourceOptions options;
    private final VideoSourceMetrics metrics;
    private final String shownUri;
    private final FrameEncoder encoder;
    private final FrameSampler sampler;
    private final Backoff backoff;

    private FFmpegFrameGrabber grabber;
    private StreamInfo info;
    private final boolean live;
    private boolean connected;
    private boolean finished;
    private long retryAtMs;
    private long nextIndex;

    /** The index of the frame emitted before, for Frame.previousSequence (-1: none yet). */
    private long lastEmittedIndex = -1;

    private long lastEmittedUs;
    private long lastDecodedUs = VideoSplit.NONE;
    // Positioning of a file after a seek: drop frames up to/below these, uncounted.
    private long skipThroughUs = VideoSplit.NONE;
    private long fromUs = Long.MIN_VALUE;
    private long checkSeekUs = VideoSplit.NONE;
    private boolean numberFromPts;

    StreamCursor(VideoSplit split, VideoSourceOptions options, VideoSourceMetrics metrics) {
        this.split = split;
        this.options = options;
        this.metrics = metrics;
        this.shownUri = Grabbers.redact(split.uri());
        this.encoder = new FrameEncoder(options.encoding(), options.jpegQuality());
        this.sampler = new FrameSampler(options.everyNth(), options.maxFps());
        this.backoff =
                new Backoff(
                        options.reconnectInitialDelay(),
                        options.reconnectMaxDelay(),
                        options.maxReconnects());
        this.nextIndex = split.nextFrameIndex();
        this.lastEmittedUs = split.resumeAfterUs();
        this.live = split.kind() == StreamKind.LIVE || split.kind() == StreamKind.DEVICE;
        this.finished = split.ended(); // restored after its DeadLetter: nothing left to say
    }

    String splitId() {
        return split.splitId();
    }

    boolean finished() {
        return finished;
    }

    /** Wall-clock ms before which a dropped live stream is not retried. */
    long retryAtMs() {
        return retryAtMs;
    }

    /** Decodes up to {@code maxFrames} frames, passing the records to emit to {@code out}. */
    void read(int maxFrames, Consumer<FetchedRecord> out) {
        if (finished) {
            return;
        }
        if (split.kind() == StreamKind.NOT_VIDEO) {
            fail(new VideoInputException.NotAVideo("not a video file (by its extension)"), out);
            return;
        }
        if (grabber == null && !open(out)) {
            return;
        }
        for (int i = 0; i < maxFrames && !finished; i++) {
            Frame frame;
            try {
                frame = grabber.grabImage();
            } catch (Exception e) {
                lost(e, out);
                return;
            }
            if (frame == null) {
                ended(out);
                return;
            }
            try {
                accept(frame, out);
            } catch (RuntimeException e) {
                // An undecodable or unencodable frame: reported, never fatal to the job.
                lost(e, out);
                return;
            }
        }
    }

    private boolean open(Consumer<FetchedRecord> out) {
        if (split.kind() == StreamKind.FILE) {
            Path path = StreamKind.filePath(split.uri());
            if (!Files.isRegularFile(path)) {
                fail(new VideoInputException.NotFound("no such file: " + path), out);
                return false;
            }
        }
        try {
            grabber = Grabbers.create(split, options);
            grabber.start();
        } catch (Exception | LinkageError e) {
            closeGrabber();
            lost(e, out);
            return false;
        }
        if (live) {
            connected = true;
            metrics.connected();
            LOG.info("Camera {} connected: {}", split.cameraId(), shownUri);
            return true;
        }
        // FFmpeg's tty demuxer "decodes" any text file as ANSI art; that is not a video.
        if (grabber.getVideoStream() < 0
                || grabber.getImageWidth() <= 0
                || "tty".equals(grabber.getFormat())) {
            fail(
                    new VideoInputException.NotAVideo(
                            "no video stream (container " + grabber.getFormat() + ")"),
                    out);
            return false;
        }
        try {
            info = StreamInfo.of(grabber);
            position(true);
        } catch (RuntimeException e) {
            lost(e, out);
            return false;
        }
        return true;
    }

    /** Sets up the file's start: the restored position, else the trim start, else frame 0. */
    private void position(boolean seek) {
        long boundaryUs;
        if (split.resumeAfterUs() != VideoSplit.NONE) {
            skipThroughUs = split.resumeAfterUs();
            nextIndex = split.nextFrameIndex();
            LOG.info(
                    "Resuming {} at frame {} (after media time {} us)",
                    split.cameraId(),
                    nextIndex,
                    skipThroughUs);
            sampler.resumeAfter(Math.floorDiv(skipThroughUs, 1000));
            boundaryUs = skipThroughUs;
        } else if (split.fromMs() > 0) {
            fromUs = split.fromMs() * 1000;
            numberFromPts = seek && info.canNumberBySeek();
            nextIndex = 0;
            boundaryUs = fromUs;
        } else {
            return;
        }
        long seekUs = boundaryUs - SEEK_MARGIN_US;
        boolean canSeek = seek && (fromUs == Long.MIN_VALUE || numberFromPts);
        if (canSeek && info.startUs() != StreamInfo.UNKNOWN && seekUs > info.startUs()) {
            try {
                grabber.setTimestamp(seekUs);
                checkSeekUs = boundaryUs;
            } catch (Exception e) {
                LOG.warn("Seek in {} failed, decoding from the start: {}", shownUri, e.toString());
                restartWithoutSeek();
            }
        } else {
            numberFromPts = false;
        }
    }

    private void accept(Frame frame, Consumer<FetchedRecord> out) {
        long ptsUs = frame.timestamp;
        long timeMs;
        long eventMs;
        if (live) {
            backoff.connected();
            timeMs = System.currentTimeMillis();
            eventMs = timeMs;
        } else {
            if (checkSeekUs != VideoSplit.NONE) {
                boolean overshot = ptsUs > checkSeekUs;
                checkSeekUs = VideoSplit.NONE;
                if (overshot) {
                    LOG.warn("Seek in {} overshot, decoding from the start", shownUri);
                    restartWithoutSeek();
                    return;
                }
            }
            if (ptsUs <= skipThroughUs || ptsUs < fromUs) {
                return;
            }
            if (numberFromPts) {
                nextIndex = info.indexAt(ptsUs);
                numberFromPts = false;
            }
            if (split.toMs() != VideoSplit.TO_END && ptsUs >= split.toMs() * 1000) {
                finish();
                return;
            }
            timeMs = Math.floorDiv(ptsUs, 1000);
            eventMs = options.baseTimestampMs() + timeMs;
            lastDecodedUs = ptsUs;
        }
        long index = nextIndex++;
        if (!sampler.keep(index, timeMs)) {
            return;
        }
        byte[] data = encoder.encode(frame);
        SourceRecord record =
                SourceRecords.frame(
                        split.cameraId(),
                        index,
                        eventMs,
                        frame.imageWidth,
                        frame.imageHeight,
                        encoder.encoding(),
                        data,
                        shownUri);
        if (lastEmittedIndex >= 0 && lastEmittedIndex < index) {
            // Sampling and skipped frames leave gaps; the tracker orders frames by this link.
            record.getFrame().setPreviousSequence(lastEmittedIndex);
        }
        lastEmittedIndex = index;
        if (!live) {
            lastEmittedUs = ptsUs;
        }
        out.accept(new FetchedRecord(record, nextIndex, lastEmittedUs, false));
    }

    private void restartWithoutSeek() {
        closeGrabber();
        try {
            grabber = Grabbers.create(split, options);
            grabber.start();
        } catch (Exception e) {
            closeGrabber();
            throw new IllegalStateException(
                    "reopening the file to decode it from the start failed", e);
        }
        position(false);
    }

    /** End of input: complete for a file unless it announced more frames; a drop when live. */
    private void ended(Consumer<FetchedRecord> out) {
        if (live) {
            lost(new java.io.EOFException("stream ended"), out);
            return;
        }
        long expected = info.expectedFrames();
        long tolerance = Math.max(2, expected / 50);
        if (expected > 0 && nextIndex < expected - tolerance) {
            fail(
                    new VideoInputException.Truncated(
                            "file ends after "
                                    + nextIndex
                                    + " of the "
                                    + expected
                                    + " frames its container announces (last frame at "
                                    + Math.floorDiv(lastDecodedUs, 1000)
                                    + " ms): truncated or corrupt"),
                    out);
        } else {
            finish();
        }
    }

    /** A failure while opening or reading: the end of a file, a drop of a live stream. */
    private void lost(Throwable error, Consumer<FetchedRecord> out) {
        if (!live) {
            fail(error, out);
            return;
        }
        metrics.disconnected();
        closeGrabber();
        long delayMs = backoff.failed();
        if (backoff.exhausted()) {
            fail(
                    new VideoInputException.CameraUnreachable(
                            "camera unreachable after "
                                    + backoff.failures()
                                    + " connection failures in a row (source.max-reconnects="
                                    + options.maxReconnects()
                                    + "): "
                                    + error,
                            error),
                    out);
            return;
        }
        retryAtMs = System.currentTimeMillis() + delayMs;
        LOG.warn(
                "Camera {} lost ({}), reconnecting in {} ms: {}",
                split.cameraId(),
                shownUri,
                delayMs,
                error.toString());
    }

    private void fail(Throwable error, Consumer<FetchedRecord> out) {
        long eventMs =
                !live
                        ? options.baseTimestampMs()
                                + (lastDecodedUs != VideoSplit.NONE
                                        ? Math.floorDiv(lastDecodedUs, 1000)
                                        : Math.max(0, split.fromMs()))
                        : System.currentTimeMillis();
        LOG.warn(
                "Video stream {} ({}) ends with a DeadLetter: {}",
                split.cameraId(),
                shownUri,
                error.toString());
        out.accept(
                new FetchedRecord(
                        SourceRecords.deadLetter(shownUri, error, eventMs),
                        nextIndex,
                        lastEmittedUs,
                        true));
        finish();
    }

    private void finish() {
        finished = true;
        closeGrabber();
    }

    private void closeGrabber() {
        if (grabber != null) {
            try {
                grabber.close();
            } catch (Exception e) {
                LOG.debug("Closing the grabber of {} failed", shownUri, e);
            }
            grabber = null;
        }
        if (connected) {
            connected = false;
            metrics.closed();
        }
    }

    @Override
    public void close() {
        closeGrabber();
    }
}
