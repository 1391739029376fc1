package io.facestream.flink.source;

import io.facestream.schema.internal.SourceRecord;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

/**
 * A FLIP-27 source of video frames decoded by FFmpeg (JavaCV) from files, network streams (RTSP,
 * RTMP, HTTP, …) and local cameras ({@code webcam:N}, {@code /dev/videoN}); one split per stream.
 *
 * <p>Contract: emits {@link SourceRecord}s, each a {@code Frame} (camera id, sequence = index of
 * the decoded frame in its stream, event time, size, JPEG/PNG/BGR24 data, source URI) or a {@code
 * DeadLetter} for a stream that could not be read. Bad input never fails the job: an unreadable,
 * non-video or truncated file ends its split with one DeadLetter after whatever frames were
 * readable; a live stream that drops is reconnected with exponential backoff, and given up with a
 * DeadLetter after {@code source.max-reconnects} failed attempts. Event time is {@code
 * source.base-timestamp} + media time for files and the capture time for live streams (their PTS
 * mapped onto this machine's clock, so a frame read late shows its age). A live stream the job
 * falls behind drops frames older than {@code source.live.max-lag}, keeping the newest; files are
 * never dropped, unless played like a camera ({@code source.pace=REALTIME}). Checkpoints store each
 * stream's next frame index, so a restore neither loses nor repeats a frame of a file. {@link
 * Boundedness#BOUNDED} when every stream is a file.
 *
 * <p>Metrics on the reader's group: {@code cameraDisconnects} (counter), {@code camerasConnected}
 * (gauge), and per stream those of {@code CameraMetrics} in the group {@code camera=<id>} ({@code
 * framesRead}, {@code framesDropped}, {@code framesEmitted}, {@code lagMs}, {@code connected},
 * {@code disconnects}, {@code givenUp}). Use with {@link #watermarks(Duration)}.
 */
public final class VideoSource
        implements Source<SourceRecord, VideoSplit, Collection<VideoSplit>>,
                ResultTypeQueryable<SourceRecord> {
    private static final long serialVersionUID = 1L;

    /**
     * Frames of one split arrive in order; this covers live wall-clock jitter across reconnects.
     */
    public static final Duration DEFAULT_OUT_OF_ORDERNESS = Duration.ofMillis(200);

    private final List<VideoSplit> splits;
    private final VideoSourceOptions options;

    VideoSource(List<VideoSplit> splits, VideoSourceOptions options) {
        this.splits = List.copyOf(splits);
        this.options = options;
    }

    public static VideoSourceBuilder builder() {
        return new VideoSourceBuilder();
    }

    /** A source over {@code uris} (see {@link VideoSourceBuilder#addUris}) with {@code options}. */
    public static VideoSource fromUris(List<String> uris, VideoSourceOptions options) {
        return builder().addUris(uris).options(options).build();
    }

    /**
     * Watermarks for this source: bounded out-of-orderness of {@link #DEFAULT_OUT_OF_ORDERNESS},
     * event time from the frame (or the DeadLetter), and streams idle for {@code idleness} no
     * longer hold back the watermark (a camera that sends nothing, a finished file).
     */
    public static WatermarkStrategy<SourceRecord> watermarks(Duration idleness) {
        return watermarks(DEFAULT_OUT_OF_ORDERNESS, idleness);
    }

    public static WatermarkStrategy<SourceRecord> watermarks(
            Duration maxOutOfOrderness, Duration idleness) {
        return WatermarkStrategy.<SourceRecord>forBoundedOutOfOrderness(maxOutOfOrderness)
                .withTimestampAssigner(
                        (SerializableTimestampAssigner<SourceRecord>)
                                (record, previous) -> SourceRecords.timestampOf(record))
                .withIdleness(idleness);
    }

    /** The streams, one split each, in the order they were added. */
    public List<VideoSplit> splits() {
        return splits;
    }

    public VideoSourceOptions options() {
        return options;
    }

    @Override
    public Boundedness getBoundedness() {
        return splits.stream().allMatch(s -> s.kind().isBounded())
                ? Boundedness.BOUNDED
                : Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<SourceRecord, VideoSplit> createReader(SourceReaderContext context) {
        return new VideoSourceReader(options, context);
    }

    @Override
    public SplitEnumerator<VideoSplit, Collection<VideoSplit>> createEnumerator(
            SplitEnumeratorContext<VideoSplit> context) {
        return new VideoSplitEnumerator(context, splits);
    }

    @Override
    public SplitEnumerator<VideoSplit, Collection<VideoSplit>> restoreEnumerator(
            SplitEnumeratorContext<VideoSplit> context, Collection<VideoSplit> pending) {
        return new VideoSplitEnumerator(context, pending);
    }

    @Override
    public SimpleVersionedSerializer<VideoSplit> getSplitSerializer() {
        return VideoSplitSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<Collection<VideoSplit>> getEnumeratorCheckpointSerializer() {
        return PendingSplitsSerializer.INSTANCE;
    }

    @Override
    public TypeInformation<SourceRecord> getProducedType() {
        return new AvroTypeInfo<>(SourceRecord.class);
    }
}
