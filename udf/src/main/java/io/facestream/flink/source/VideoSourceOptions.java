package io.facestream.flink.source;

import io.facestream.schema.FrameEncoding;
import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

/**
 * Settings of a {@link VideoSource}: frame sampling, output encoding, event-time base and the
 * reconnect policy of live cameras. Immutable and serializable (it travels to every reader);
 * validated on construction, so a bad value fails when the job is built, not on a task manager.
 *
 * <p>Sampling never renumbers frames: {@code Frame.sequence} counts every decoded frame, so the
 * sequences of a sampled stream are a stable subset of the unsampled ones.
 *
 * @param everyNth keep frames whose index is a multiple of this ({@code 1} = all)
 * @param maxFps keep at most this many frames per second of stream time ({@code 0} = no limit)
 * @param encoding how {@code Frame.data} is encoded: JPEG, PNG or raw BGR24 rows
 * @param jpegQuality JPEG quality 1..100, higher = larger and closer to the decoded image
 * @param baseTimestampMs event time of media time 0 for files (ms since the epoch)
 * @param framesPerFetch decoded frames read from one stream before the reader moves to the next
 * @param reconnectInitialDelay first wait after a live camera drops; doubles per failed attempt
 * @param reconnectMaxDelay cap of that wait
 * @param maxReconnects failed reconnects in a row before the camera is given up ({@code -1} = never
 *     give up)
 * @param ioTimeout how long a network read may block before the connection counts as dropped
 * @param rtspTransport RTSP lower transport: {@code tcp} (robust) or {@code udp} (lower latency)
 * @param pace {@link Pace#REALTIME} plays files at their own frame rate, like a camera
 * @param whenBehind what a live (or paced) stream does with frames older than {@code maxLag}
 * @param maxLag how far behind the capture a live frame may be when it is read; older frames are
 *     dropped under {@link WhenBehind#DROP_OLDEST}
 */
public record VideoSourceOptions(
        int everyNth,
        double maxFps,
        FrameEncoding encoding,
        int jpegQuality,
        long baseTimestampMs,
        int framesPerFetch,
        Duration reconnectInitialDelay,
        Duration reconnectMaxDelay,
        int maxReconnects,
        Duration ioTimeout,
        String rtspTransport,
        Pace pace,
        WhenBehind whenBehind,
        Duration maxLag)
        implements Serializable {

    /** How fast files are read. */
    public enum Pace {
        /** As fast as the job takes them (replay, batch): never dropped. */
        NONE,
        /** At the file's own frame rate from the wall clock, as a camera would send it. */
        REALTIME
    }

    /** What a live stream does when the job falls behind it. */
    public enum WhenBehind {
        /**
         * Drop frames captured more than {@code source.live.max-lag} ago, keeping the newest: the
         * output stays live, and the drops are counted ({@code framesDropped}).
         */
        DROP_OLDEST,
        /**
         * Emit every frame: the lag grows without bound while the job is slower than the camera.
         */
        WAIT
    }

    public static final ConfigOption<Integer> EVERY_NTH =
            ConfigOptions.key("source.every-nth")
                    .intType()
                    .defaultValue(1)
                    .withDescription("Keep every n-th decoded frame (1 = all).");
    public static final ConfigOption<Double> MAX_FPS =
            ConfigOptions.key("source.max-fps")
                    .doubleType()
                    .defaultValue(0.0)
                    .withDescription("At most this many frames per second per stream; 0 = off.");
    public static final ConfigOption<FrameEncoding> ENCODING =
            ConfigOptions.key("source.encoding")
                    .enumType(FrameEncoding.class)
                    .defaultValue(FrameEncoding.JPEG)
                    .withDescription("Encoding of Frame.data: JPEG, PNG or BGR24 (raw rows).");
    public static final ConfigOption<Integer> JPEG_QUALITY =
            ConfigOptions.key("source.jpeg-quality")
                    .intType()
                    .defaultValue(90)
                    .withDescription("JPEG quality 1..100.");
    public static final ConfigOption<Long> BASE_TIMESTAMP =
            ConfigOptions.key("source.base-timestamp")
                    .longType()
                    .defaultValue(0L)
                    .withDescription(
                            "Event time (epoch ms) of media time 0 in files; 0 = media time.");
    public static final ConfigOption<Integer> FRAMES_PER_FETCH =
            ConfigOptions.key("source.frames-per-fetch")
                    .intType()
                    .defaultValue(16)
                    .withDescription("Decoded frames read from one stream per fetch.");
    public static final ConfigOption<Duration> RECONNECT_INITIAL_DELAY =
            ConfigOptions.key("source.reconnect.initial-delay")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(1))
                    .withDescription("First wait before reconnecting a dropped live camera.");
    public static final ConfigOption<Duration> RECONNECT_MAX_DELAY =
            ConfigOptions.key("source.reconnect.max-delay")
                    .durationType()
                    // A restarted camera is back in 10-60 s; a 2 s cap reads it again at most 2 s
                    // after it returns, and an attempt every 2 s (one TCP connect) costs nothing.
                    .defaultValue(Duration.ofSeconds(2))
                    .withDescription(
                            "Longest wait between reconnect attempts (backoff cap): a camera back"
                                    + " after a restart is read again within this long.");
    public static final ConfigOption<Integer> MAX_RECONNECTS =
            ConfigOptions.key("source.max-reconnects")
                    .intType()
                    .defaultValue(-1)
                    .withDescription(
                            "Failed reconnects in a row before a live camera is given up with a"
                                    + " DeadLetter; -1 = unlimited.");
    public static final ConfigOption<Duration> IO_TIMEOUT =
            ConfigOptions.key("source.io-timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription("Network read timeout of live streams.");
    public static final ConfigOption<String> RTSP_TRANSPORT =
            ConfigOptions.key("source.rtsp-transport")
                    .stringType()
                    .defaultValue("tcp")
                    .withDescription("RTSP transport: tcp or udp.");
    public static final ConfigOption<Pace> PACE =
            ConfigOptions.key("source.pace")
                    .enumType(Pace.class)
                    .defaultValue(Pace.NONE)
                    .withDescription(
                            "NONE reads files as fast as the job goes; REALTIME plays them at their"
                                    + " own frame rate like a camera (then they are live: capture"
                                    + " time is the wall clock and source.live.* applies).");
    public static final ConfigOption<WhenBehind> WHEN_BEHIND =
            ConfigOptions.key("source.live.when-behind")
                    .enumType(WhenBehind.class)
                    .defaultValue(WhenBehind.DROP_OLDEST)
                    .withDescription(
                            "DROP_OLDEST drops live frames older than source.live.max-lag (the"
                                    + " newest are kept, drops are counted); WAIT emits every"
                                    + " frame however late.");
    public static final ConfigOption<Duration> MAX_LAG =
            ConfigOptions.key("source.live.max-lag")
                    .durationType()
                    .defaultValue(Duration.ofMillis(500))
                    .withDescription(
                            "A live frame read longer than this after its capture is dropped"
                                    + " (with DROP_OLDEST).");

    public VideoSourceOptions {
        require(everyNth >= 1, EVERY_NTH, everyNth, "must be >= 1 (1 keeps every frame)");
        require(maxFps >= 0 && Double.isFinite(maxFps), MAX_FPS, maxFps, "must be >= 0 (0 = off)");
        require(encoding != null, ENCODING, null, "is required");
        require(
                jpegQuality >= 1 && jpegQuality <= 100,
                JPEG_QUALITY,
                jpegQuality,
                "must be 1..100");
        require(baseTimestampMs >= 0, BASE_TIMESTAMP, baseTimestampMs, "must be >= 0");
        require(framesPerFetch >= 1, FRAMES_PER_FETCH, framesPerFetch, "must be >= 1");
        require(
                positive(reconnectInitialDelay),
                RECONNECT_INITIAL_DELAY,
                reconnectInitialDelay,
                "must be > 0");
        require(
                positive(reconnectMaxDelay)
                        && reconnectMaxDelay.compareTo(reconnectInitialDelay) >= 0,
                RECONNECT_MAX_DELAY,
                reconnectMaxDelay,
                "must be >= " + RECONNECT_INITIAL_DELAY.key() + " (" + reconnectInitialDelay + ")");
        require(
                maxReconnects >= -1,
                MAX_RECONNECTS,
                maxReconnects,
                "must be >= 0, or -1 = unlimited");
        require(positive(ioTimeout), IO_TIMEOUT, ioTimeout, "must be > 0");
        require(
                "tcp".equals(rtspTransport) || "udp".equals(rtspTransport),
                RTSP_TRANSPORT,
                rtspTransport,
                "must be tcp or udp");
        require(pace != null, PACE, null, "is required");
        require(whenBehind != null, WHEN_BEHIND, null, "is required");
        require(positive(maxLag), MAX_LAG, maxLag, "must be > 0");
    }

    /**
     * All defaults: every frame, JPEG at quality 90, media time, reconnect 1 s .. 2 s forever,
     * files unpaced, live frames older than 500 ms dropped.
     */
    public static VideoSourceOptions defaults() {
        return builder().build();
    }

    public static VideoSourceOptionsBuilder builder() {
        return new VideoSourceOptionsBuilder();
    }

    /** Reads every {@code source.*} key of {@code config}, defaults for the missing ones. */
    public static VideoSourceOptions fromConfig(ReadableConfig config) {
        return new VideoSourceOptions(
                config.get(EVERY_NTH),
                config.get(MAX_FPS),
                config.get(ENCODING),
                config.get(JPEG_QUALITY),
                config.get(BASE_TIMESTAMP),
                config.get(FRAMES_PER_FETCH),
                config.get(RECONNECT_INITIAL_DELAY),
                config.get(RECONNECT_MAX_DELAY),
                config.get(MAX_RECONNECTS),
                config.get(IO_TIMEOUT),
                config.get(RTSP_TRANSPORT),
                config.get(PACE),
                config.get(WHEN_BEHIND),
                config.get(MAX_LAG));
    }

    /** A builder preset with these values, to change a few. */
    public VideoSourceOptionsBuilder toBuilder() {
        return new VideoSourceOptionsBuilder(this);
    }

    private static boolean positive(Duration d) {
        return d != null && !d.isNegative() && !d.isZero();
    }

    private static void require(boolean ok, ConfigOption<?> option, Object value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException(option.key() + " " + rule + ", got " + value);
        }
    }
}
