package io.facestream.flink;

import io.facestream.track.ScheduleSettings;
import io.facestream.track.TrackerSettings;
import io.facestream.track.VoteSettings;
import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

/** The job's {@code track.*} configuration keys, read into {@link TrackSettings}. */
public final class TrackOptions {
    private TrackOptions() {}

    /** How faces are embedded and decided. */
    public enum Mode {
        /** Per-camera tracks; a track's faces embedded on a schedule; identity voted per track. */
        TRACKED,
        /** Every face embedded and decided on its own in every frame (tracks still assigned). */
        EVERY_FRAME;

        static Mode parse(String s) {
            return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "tracked" -> TRACKED;
                case "every-frame" -> EVERY_FRAME;
                default ->
                        throw new IllegalArgumentException(
                                "track.mode must be tracked or every-frame, got '" + s + "'");
            };
        }
    }

    public static final ConfigOption<String> MODE =
            ConfigOptions.key("track.mode")
                    .stringType()
                    .defaultValue("tracked")
                    .withDescription(
                            "tracked: embed a track's faces on a schedule and vote its identity;"
                                    + " every-frame: embed and decide every face of every frame.");
    public static final ConfigOption<Float> MIN_IOU =
            ConfigOptions.key("track.min-iou")
                    .floatType()
                    .defaultValue(TrackerSettings.defaults().minIou())
                    .withDescription(
                            "Smallest IoU between a detection and a track's predicted box to"
                                    + " associate them (higher = stricter).");
    public static final ConfigOption<Integer> MIN_HITS =
            ConfigOptions.key("track.min-hits")
                    .intType()
                    .defaultValue(TrackerSettings.defaults().minHits())
                    .withDescription("Frames a tentative track needs to become confirmed.");
    public static final ConfigOption<Integer> MAX_LOST_FRAMES =
            ConfigOptions.key("track.max-lost-frames")
                    .intType()
                    .defaultValue(TrackerSettings.defaults().maxLostFrames())
                    .withDescription("Frames a confirmed track may go unseen before it ends.");
    public static final ConfigOption<Float> HIGH_SCORE =
            ConfigOptions.key("track.high-score")
                    .floatType()
                    .defaultValue(TrackerSettings.defaults().highScore())
                    .withDescription(
                            "Detections scoring at least this are associated first (ByteTrack's"
                                    + " two passes).");
    public static final ConfigOption<Integer> MAX_EMBED_INTERVAL =
            ConfigOptions.key("track.max-embed-interval")
                    .intType()
                    .defaultValue(ScheduleSettings.defaults().maxInterval())
                    .withDescription(
                            "Longest gap, in frames, between two embedded faces of a track (the"
                                    + " schedule doubles the gap 1, 2, 4 ... up to this).");
    public static final ConfigOption<Float> BETTER_QUALITY_FACTOR =
            ConfigOptions.key("track.better-quality-factor")
                    .floatType()
                    .defaultValue(ScheduleSettings.defaults().betterQualityFactor())
                    .withDescription(
                            "A face this many times better than the track's best embedded face"
                                    + " is embedded out of schedule.");
    public static final ConfigOption<Integer> VOTE_MIN_WINS =
            ConfigOptions.key("track.vote.min-wins")
                    .intType()
                    .defaultValue(VoteSettings.defaults().minWins())
                    .withDescription("Decisions a name must win before a track takes it.");
    public static final ConfigOption<Float> VOTE_SWITCH_RATIO =
            ConfigOptions.key("track.vote.switch-ratio")
                    .floatType()
                    .defaultValue(VoteSettings.defaults().switchRatio())
                    .withDescription(
                            "A track changes name only when the challenger's vote weight is this"
                                    + " many times the holder's.");
    public static final ConfigOption<Duration> GAP_TIMEOUT =
            ConfigOptions.key("track.gap-timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(1))
                    .withDescription(
                            "How long a camera's next frames wait for a missing one before the"
                                    + " tracker skips it.");
    public static final ConfigOption<Duration> IDLE_TIMEOUT =
            ConfigOptions.key("track.idle-timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription(
                            "A camera without frames this long ends its tracks (appearance ENDED).");
    public static final ConfigOption<Integer> MAX_WAITING_FRAMES =
            ConfigOptions.key("track.max-waiting-frames")
                    .intType()
                    .defaultValue(64)
                    .withDescription(
                            "Most frames of one camera held while they wait for a missing frame;"
                                    + " one more and the tracker skips the gap at once, as the gap"
                                    + " timeout would (metric waitingCapSkips). Bounds the"
                                    + " tracker's state whatever the arrival order; keep it above"
                                    + " the frames a camera sends within track.gap-timeout.");

    public static final ConfigOption<Float> CUT_THRESHOLD =
            ConfigOptions.key("track.cut-threshold")
                    .floatType()
                    .defaultValue(16f)
                    .withDescription(
                            "Mean grey-level difference (0-255) between consecutive frames'"
                                    + " 16x9 signatures above which the camera cut to another"
                                    + " shot and every track ends (a face after a cut is someone"
                                    + " new until shown otherwise); 0 turns it off.");

    public static TrackSettings fromConfig(ReadableConfig c) {
        boolean everyFrame = Mode.parse(c.get(MODE)) == Mode.EVERY_FRAME;
        TrackerSettings t =
                new TrackerSettings(
                        c.get(MIN_IOU),
                        c.get(MIN_HITS),
                        c.get(MAX_LOST_FRAMES),
                        c.get(HIGH_SCORE),
                        new ScheduleSettings(
                                everyFrame,
                                c.get(MAX_EMBED_INTERVAL),
                                c.get(BETTER_QUALITY_FACTOR)));
        return new TrackSettings(
                t,
                new VoteSettings(c.get(VOTE_MIN_WINS), c.get(VOTE_SWITCH_RATIO)),
                c.get(GAP_TIMEOUT).toMillis(),
                c.get(IDLE_TIMEOUT).toMillis(),
                c.get(CUT_THRESHOLD),
                c.get(MAX_WAITING_FRAMES),
                io.facestream.quality.QualityOptions.poseMargin(c));
    }
}
