package io.facestream.flink.source;

import io.facestream.schema.FrameEncoding;
import java.time.Duration;

/**
 * Builds {@link VideoSourceOptions}, starting from the defaults of its {@code ConfigOption}s;
 * {@link #build()} validates and names the offending key.
 */
public final class VideoSourceOptionsBuilder {
    private int everyNth = VideoSourceOptions.EVERY_NTH.defaultValue();
    private double maxFps = VideoSourceOptions.MAX_FPS.defaultValue();
    private FrameEncoding encoding = VideoSourceOptions.ENCODING.defaultValue();
    private int jpegQuality = VideoSourceOptions.JPEG_QUALITY.defaultValue();
    private long baseTimestampMs = VideoSourceOptions.BASE_TIMESTAMP.defaultValue();
    private int framesPerFetch = VideoSourceOptions.FRAMES_PER_FETCH.defaultValue();
    private Duration reconnectInitialDelay =
            VideoSourceOptions.RECONNECT_INITIAL_DELAY.defaultValue();
    private Duration reconnectMaxDelay = VideoSourceOptions.RECONNECT_MAX_DELAY.defaultValue();
    private int maxReconnects = VideoSourceOptions.MAX_RECONNECTS.defaultValue();
    private Duration ioTimeout = VideoSourceOptions.IO_TIMEOUT.defaultValue();
    private String rtspTransport = VideoSourceOptions.RTSP_TRANSPORT.defaultValue();
    private VideoSourceOptions.Pace pace = VideoSourceOptions.PACE.defaultValue();
    private VideoSourceOptions.WhenBehind whenBehind =
            VideoSourceOptions.WHEN_BEHIND.defaultValue();
    private Duration maxLag = VideoSourceOptions.MAX_LAG.defaultValue();

    VideoSourceOptionsBuilder() {}

    VideoSourceOptionsBuilder(VideoSourceOptions o) {
        everyNth = o.everyNth();
        maxFps = o.maxFps();
        encoding = o.encoding();
        jpegQuality = o.jpegQuality();
        baseTimestampMs = o.baseTimestampMs();
        framesPerFetch = o.framesPerFetch();
        reconnectInitialDelay = o.reconnectInitialDelay();
        reconnectMaxDelay = o.reconnectMaxDelay();
        maxReconnects = o.maxReconnects();
        ioTimeout = o.ioTimeout();
        rtspTransport = o.rtspTransport();
        pace = o.pace();
        whenBehind = o.whenBehind();
        maxLag = o.maxLag();
    }

    public VideoSourceOptionsBuilder everyNth(int n) {
        this.everyNth = n;
        return this;
    }

    public VideoSourceOptionsBuilder maxFps(double fps) {
        this.maxFps = fps;
        return this;
    }

    public VideoSourceOptionsBuilder encoding(FrameEncoding encoding) {
        this.encoding = encoding;
        return this;
    }

    public VideoSourceOptionsBuilder jpegQuality(int quality) {
        this.jpegQuality = quality;
        return this;
    }

    public VideoSourceOptionsBuilder baseTimestampMs(long epochMs) {
        this.baseTimestampMs = epochMs;
        return this;
    }

    public VideoSourceOptionsBuilder framesPerFetch(int frames) {
        this.framesPerFetch = frames;
        return this;
    }

    /** Exponential backoff between reconnects: {@code initial}, doubling, capped at {@code max}. */
    public VideoSourceOptionsBuilder reconnectDelay(Duration initial, Duration max) {
        this.reconnectInitialDelay = initial;
        this.reconnectMaxDelay = max;
        return this;
    }

    public VideoSourceOptionsBuilder maxReconnects(int attempts) {
        this.maxReconnects = attempts;
        return this;
    }

    public VideoSourceOptionsBuilder ioTimeout(Duration timeout) {
        this.ioTimeout = timeout;
        return this;
    }

    public VideoSourceOptionsBuilder rtspTransport(String transport) {
        this.rtspTransport = transport;
        return this;
    }

    public VideoSourceOptionsBuilder pace(VideoSourceOptions.Pace pace) {
        this.pace = pace;
        return this;
    }

    /** What live streams do with frames read more than {@code maxLag} after their capture. */
    public VideoSourceOptionsBuilder whenBehind(
            VideoSourceOptions.WhenBehind policy, Duration maxLag) {
        this.whenBehind = policy;
        this.maxLag = maxLag;
        return this;
    }

    public VideoSourceOptions build() {
        return new VideoSourceOptions(
                everyNth,
                maxFps,
                encoding,
                jpegQuality,
                baseTimestampMs,
                framesPerFetch,
                reconnectInitialDelay,
                reconnectMaxDelay,
                maxReconnects,
                ioTimeout,
                rtspTransport,
                pace,
                whenBehind,
                maxLag);
    }
}
