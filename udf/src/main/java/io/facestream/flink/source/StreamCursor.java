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
 * DeadLetter (files) or a reconnect with backoff ({@link Reconnects}: live streams and devices).
 * Runs on the fetcher thread only.
 *
 * <p>Frame numbering counts every decoded frame from the start of the stream. After a seek (trim
 * start) the first frame's number comes from its media time and the frame rate; after a restore,
 * from the checkpointed index. A seek that lands past the wanted position falls back to decoding
 * from the start, so a frame is never silently skipped.
 *
 * <p>Live streams (and files paced in real time) stamp each frame with its capture time ({@link
 * LiveClock}), drop frames that are too old by the time they are read ({@link StaleFrames}) and
 * return from a read after each frame emitted, so no frame waits for a batch to fill. A paced file
 * holds a decoded frame until it is due.
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
    private final Reconnects reconnects;
    private final CameraMetrics camera;
    private final LiveClock clock = new LiveClock();
    private final StaleFrames stale;

    private FFmpegFrameGrabber grabber;
    private StreamInfo info;
    private final boolean live;
    private final boolean paced;
    // A paced file's decoded frame that is not due yet, and when it is due.
    private Frame held;
    private long heldDueMs;
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
        this.nextIndex = split.nextFrameIndex();
        this.lastEmittedUs = split.resumeAfterUs();
        this.live = split.kind() == StreamKind.LIVE || split.kind() == StreamKind.DEVICE;
        this.paced =
                split.kind() == StreamKind.FILE
                        && options.pace() == VideoSourceOptions.Pace.REALTIME;
        this.camera = metrics.camera(split.cameraId());
        this.stale = new StaleFrames(split.cameraId(), options, camera);
        this.reconnects = new Reconnects(split.cameraId(), shownUri, options, camera);
        this.finished = split.ended(); // restored after its DeadLetter: nothing left to say
    }

    String splitId() {
        return split.splitId();
    }

    boolean finished() {
        return finished;
    }

    /**
     * Wall-clock ms before which there is nothing to read: a dropped live stream waiting out its
     * backoff, or a paced file whose next frame is not due.
     */
    long readyAtMs() {
        return held != null ? heldDueMs : retryAtMs;
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
            if (held != null) {
                if (System.currentTimeMillis() < heldDueMs) {
                    return;
                }
                frame = held;
                held = null;
            } else {
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
            }
            try {
                if (accept(frame, out) && (live || paced)) {
                    return; // hand a live frame on now rather than after a batch
                }
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
            clock.reset();
            metrics.connected(split.cameraId());
            reconnects.opened();
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

    /** Numbers, samples, drops or emits a decoded frame; true if it was emitted. */
    private boolean accept(Frame frame, Consumer<FetchedRecord> out) {
        long ptsUs = frame.timestamp;
        long nowMs = System.currentTimeMillis();
        long timeMs;
        long eventMs;
        long captureMs = FetchedRecord.NO_CAPTURE;
        if (live) {
            reconnects.frameRead();
            captureMs = clock.captureMs(ptsUs, nowMs);
            timeMs = captureMs;
            eventMs = captureMs;
        } else {
            if (checkSeekUs != VideoSplit.NONE) {
                boolean overshot = ptsUs > checkSeekUs;
                checkSeekUs = VideoSplit.NONE;
                if (overshot) {
                    LOG.warn("Seek in {} overshot, decoding from the start", shownUri);
                    restartWithoutSeek();
                    return false;
                }
            }
            if (ptsUs <= skipThroughUs || ptsUs < fromUs) {
                return false;
            }
            if (numberFromPts) {
                nextIndex = info.indexAt(ptsUs);
                numberFromPts = false;
            }
            if (split.toMs() != VideoSplit.TO_END && ptsUs >= split.toMs() * 1000) {
                finish();
                return false;
            }
            timeMs = Math.floorDiv(ptsUs, 1000);
            eventMs = options.baseTimestampMs() + timeMs;
            if (paced) {
                long dueMs = clock.dueMs(ptsUs, nowMs);
                if (dueMs > nowMs) {
                    held = frame; // the grabber is not called again before it is taken back
                    heldDueMs = dueMs;
                    return false;
                }
                captureMs = dueMs;
                eventMs = dueMs;
            }
            lastDecodedUs = ptsUs;
        }
        camera.read();
        long index = nextIndex++;
        if (!sampler.keep(index, timeMs)) {
            return false;
        }
        if (captureMs != FetchedRecord.NO_CAPTURE && stale.drop(captureMs, nowMs)) {
            return false; // too old to be worth the job's time; the newer frames follow
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
        out.accept(new FetchedRecord(record, nextIndex, lastEmittedUs, false, captureMs));
        return true;
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
            fail(error, CameraErrors.describeFile(error, shownUri), out);
            return;
        }
        metrics.disconnected(split.cameraId());
        closeGrabber();
        long delayMs = reconnects.failed(error);
        if (delayMs == Reconnects.GIVE_UP) {
            fail(
                    new VideoInputException.CameraUnreachable(
                            "camera unreachable after "
                                    + reconnects.failures()
                                    + " connection failures in a row (source.max-reconnects="
                                    + options.maxReconnects()
                                    + "): "
                                    + CameraErrors.describe(error),
                            error),
                    out);
            return;
        }
        retryAtMs = System.currentTimeMillis() + delayMs;
    }

    private void fail(Throwable error, Consumer<FetchedRecord> out) {
        fail(error, String.valueOf(error.getMessage()), out);
    }

    /** Ends the stream with a DeadLetter saying {@code message} (the error's class kept). */
    private void fail(Throwable error, String message, Consumer<FetchedRecord> out) {
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
                message);
        out.accept(
                new FetchedRecord(
                        SourceRecords.deadLetter(shownUri, error, message, eventMs),
                        nextIndex,
                        lastEmittedUs,
                        true,
                        FetchedRecord.NO_CAPTURE));
        finish();
    }

    private void finish() {
        finished = true;
        held = null;
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
            metrics.closed(split.cameraId());
        }
    }

    @Override
    public void close() {
        closeGrabber();
    }
}
