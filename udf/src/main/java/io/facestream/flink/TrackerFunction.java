package io.facestream.flink;

import io.facestream.decode.FrameSignature;
import io.facestream.schema.internal.DetectedFace;
import io.facestream.schema.internal.FaceCrop;
import io.facestream.schema.internal.FaceRef;
import io.facestream.schema.internal.FrameFaces;
import io.facestream.schema.internal.TrackedFrame;
import io.facestream.track.Detection;
import io.facestream.track.EndedTrack;
import io.facestream.track.FaceTracker;
import io.facestream.track.TrackAssignment;
import io.facestream.track.TrackState;
import io.facestream.track.TrackerStep;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-camera tracker operator (keyed by camera). Detection runs in parallel, so a camera's
 * frames arrive out of order: they wait here until the previous frame has been tracked ({@code
 * Frame.previousSequence} when the source knows it, else sequence − 1), or until {@code
 * track.gap-timeout} passed, so a dropped frame never stalls a camera, or until more than {@code
 * track.max-waiting-frames} wait (then the gap is skipped at once, so the state stays bounded). A
 * waiting frame keeps only what the tracker decides on and the crops that may be embedded; its
 * picture goes ahead to the assembler ({@link WaitingFrames}). A frame detect-align could not read
 * comes as an {@code unreadable} marker: it takes its turn (the next frame need not wait for it)
 * and is otherwise ignored. In order, each frame goes through {@link FaceTracker} (after a shot
 * cut, {@code track.cut-threshold}, every track ends first): its faces get track ids, and the faces
 * the embedding schedule picks go on as {@link FaceCrop}s to the embedder. Every frame (crops
 * removed) goes on {@link #TRACKED} with the tracks that ended at it; after {@code
 * track.idle-timeout} without frames, and at the end of input, the camera's tracks end with a
 * frame-less marker.
 *
 * <p>All of it is keyed state (the tracker as its snapshot bytes, the frames waiting), so a restore
 * continues with the same track ids. A frame that arrives after the tracker moved past it (it was
 * given up on) is passed on untracked with {@code late} set and counted in {@code framesLate}.
 */
public class TrackerFunction extends KeyedProcessFunction<String, FrameFaces, FaceCrop> {
    public static final OutputTag<TrackedFrame> TRACKED =
            new OutputTag<>("tracked", new AvroTypeInfo<>(TrackedFrame.class));

    private final TrackSettings settings;
    private transient ValueState<byte[]> tracker;
    private transient ValueState<Long> lastSequence;
    private transient ValueState<byte[]> lastSignature;
    private transient MapState<Long, FrameFaces> waiting;
    private transient ValueState<Long> gapTimer;
    private transient ValueState<Long> idleTimer;
    private transient ValueState<Boolean> endTimer;
    private transient Counter late;
    private transient Counter cuts;
    private transient Counter gaps;
    private transient Counter scheduled;
    private transient Counter skipped;
    private transient Counter capSkips;
    private transient Histogram frameAges;
    private transient long lastCapLog = Long.MIN_VALUE / 2;

    private static final Logger LOG = LoggerFactory.getLogger(TrackerFunction.class);
    private static final long CAP_LOG_INTERVAL_MS = 10_000;

    public TrackerFunction(TrackSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext ctx) {
        var rc = getRuntimeContext();
        tracker =
                rc.getState(
                        new ValueStateDescriptor<>(
                                "tracker", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        lastSequence = rc.getState(new ValueStateDescriptor<>("last-sequence", Types.LONG));
        lastSignature =
                rc.getState(
                        new ValueStateDescriptor<>(
                                "last-signature",
                                PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        waiting =
                rc.getMapState(
                        new MapStateDescriptor<>(
                                "waiting", Types.LONG, new AvroTypeInfo<>(FrameFaces.class)));
        gapTimer = rc.getState(new ValueStateDescriptor<>("gap-timer", Types.LONG));
        idleTimer = rc.getState(new ValueStateDescriptor<>("idle-timer", Types.LONG));
        endTimer = rc.getState(new ValueStateDescriptor<>("end-timer", Types.BOOLEAN));
        var g = rc.getMetricGroup();
        late = g.counter("framesLate");
        cuts = g.counter("shotCuts");
        gaps = g.counter("sequenceGapsSkipped");
        scheduled = g.counter("facesScheduled");
        skipped = g.counter("facesNotEmbedded");
        capSkips = g.counter("waitingCapSkips");
        frameAges = FrameAge.register(g);
        g.gauge("tracksLive", this::liveTracksOfLastKey);
    }

    private transient int lastLiveTracks;

    /**
     * When this instance started. Timers restored from a checkpoint may be overdue after a restart;
     * ending tracks or skipping frames because the job was down would make a restored run differ
     * from an uninterrupted one, so such a timer waits its full time again, counted from here.
     */
    private transient long openedAt = Long.MIN_VALUE;

    private int liveTracksOfLastKey() {
        return lastLiveTracks;
    }

    @Override
    public void processElement(FrameFaces f, Context ctx, Collector<FaceCrop> out)
            throws Exception {
        if (openedAt == Long.MIN_VALUE) {
            openedAt = ctx.timerService().currentProcessingTime();
        }
        if (endTimer.value() == null) {
            // Flink drops processing-time timers when a bounded input ends; the final watermark
            // fires this one, so waiting frames are tracked and tracks end at the end of input.
            ctx.timerService().registerEventTimeTimer(EmbedBatcher.END_OF_INPUT);
            endTimer.update(true);
        }
        long seq = f.getFrame().getSequence();
        Long last = lastSequence.value();
        if (last != null && seq <= last) {
            if (!f.getUnreadable()) {
                late.inc();
                emit(f, null, true, List.of(), ctx, out);
            }
            return;
        }
        if (waiting.isEmpty() && isNext(f)) {
            // In order already (the usual case): tracked without a round trip through state.
            track(f, ctx, out);
        } else {
            // It waits for its predecessor: its picture goes ahead to the assembler, so the
            // waiting state holds detections and the crops that may be embedded, not pictures.
            if (!f.getUnreadable()) {
                ctx.output(TRACKED, WaitingFrames.pictureAhead(f));
            }
            waiting.put(seq, WaitingFrames.slim(f, settings));
        }
        drain(false, ctx, out);
        capWaiting(ctx, out);
    }

    /**
     * Past {@code track.max-waiting-frames}, the missing frame is skipped at once, as the gap
     * timeout would skip it later: whatever the arrival order, a camera's waiting frames stay
     * bounded.
     */
    private void capWaiting(Context ctx, Collector<FaceCrop> out) throws Exception {
        int n = 0;
        for (Long ignored : waiting.keys()) {
            n++;
        }
        if (n <= settings.maxWaitingFrames()) {
            return;
        }
        Long missingAfter = lastSequence.value();
        while (n > settings.maxWaitingFrames()) {
            capSkips.inc();
            drain(true, ctx, out);
            n = 0;
            for (Long ignored : waiting.keys()) {
                n++;
            }
        }
        long now = System.currentTimeMillis();
        if (now - lastCapLog >= CAP_LOG_INTERVAL_MS) {
            lastCapLog = now;
            LOG.warn(
                    "camera {}: more than {} frames waited for the frame after {}; skipped the gap"
                            + " without waiting for track.gap-timeout (track.max-waiting-frames;"
                            + " {} such skips on this subtask so far, logged at most every {} s)",
                    ctx.getCurrentKey(),
                    settings.maxWaitingFrames(),
                    missingAfter,
                    capSkips.getCount(),
                    CAP_LOG_INTERVAL_MS / 1000);
        }
    }

    /** Tracks the waiting frames that are next in order (with {@code force}: the first one too). */
    private void drain(boolean force, Context ctx, Collector<FaceCrop> out) throws Exception {
        boolean released = false;
        while (true) {
            Long head = firstWaiting();
            if (head == null) {
                break;
            }
            FrameFaces f = waiting.get(head);
            if (!force && !isNext(f)) {
                break;
            }
            if (!isNext(f)) {
                gaps.inc();
            }
            force = false;
            waiting.remove(head);
            track(f, ctx, out);
            released = true;
        }
        Long pending = gapTimer.value();
        if (firstWaiting() == null) {
            if (pending != null) {
                ctx.timerService().deleteProcessingTimeTimer(pending);
                gapTimer.clear();
            }
        } else if (pending == null || released) {
            if (pending != null) {
                ctx.timerService().deleteProcessingTimeTimer(pending);
            }
            long at = ctx.timerService().currentProcessingTime() + settings.gapTimeoutMs();
            ctx.timerService().registerProcessingTimeTimer(at);
            gapTimer.update(at);
        }
    }

    private boolean isNext(FrameFaces f) throws Exception {
        Long last = lastSequence.value();
        Long previous = f.getFrame().getPreviousSequence();
        long seq = f.getFrame().getSequence();
        if (last == null) {
            return previous == null || seq == 0;
        }
        return previous != null ? previous <= last : seq == last + 1;
    }

    private Long firstWaiting() throws Exception {
        Long min = null;
        for (Long k : waiting.keys()) {
            if (min == null || k < min) {
                min = k;
            }
        }
        return min;
    }

    private void track(FrameFaces f, Context ctx, Collector<FaceCrop> out) throws Exception {
        if (f.getUnreadable()) {
            // A frame detect-align could not read: its turn passes, the tracks see no frame.
            lastSequence.update(f.getFrame().getSequence());
            return;
        }
        FaceTracker t = loadTracker();
        List<Detection> detections = new ArrayList<>(f.getFaces().size());
        for (DetectedFace d : f.getFaces()) {
            var b = d.getBox();
            detections.add(
                    new Detection(
                            b.getX1(),
                            b.getY1(),
                            b.getX2(),
                            b.getY2(),
                            d.getScore(),
                            d.getQuality(),
                            settings.embeddable(d)));
        }
        long seq = f.getFrame().getSequence();
        List<EndedTrack> endedByCut = List.of();
        byte[] signature = Frames.bytes(f.getSignature());
        if (settings.cutThreshold() > 0 && signature.length > 0) {
            byte[] previous = lastSignature.value();
            if (previous != null
                    && FrameSignature.difference(previous, signature) > settings.cutThreshold()) {
                // Another shot: a face where one was is someone else until shown otherwise.
                cuts.inc();
                endedByCut = t.endAll();
            }
            lastSignature.update(signature);
        }
        TrackerStep step = t.update(seq, detections);
        lastSequence.update(seq);
        saveTracker(t);
        List<Long> ended = new ArrayList<>();
        for (EndedTrack e : endedByCut) {
            ended.add(e.trackId());
        }
        for (EndedTrack e : step.ended()) {
            ended.add(e.trackId());
        }
        emit(f, step.assignments(), false, ended, ctx, out);
        armIdleTimer(ctx);
    }

    /**
     * Sends the scheduled faces' crops to the embedder and the frame (without crops) on {@link
     * #TRACKED}. Untracked (late) frames embed every face that passed the gates.
     */
    private void emit(
            FrameFaces f,
            List<TrackAssignment> assignments,
            boolean isLate,
            List<Long> ended,
            Context ctx,
            Collector<FaceCrop> out) {
        var frame = f.getFrame();
        List<DetectedFace> faces = new ArrayList<>(f.getFaces().size());
        for (int i = 0; i < f.getFaces().size(); i++) {
            DetectedFace d = DetectedFace.newBuilder(f.getFaces().get(i)).build();
            boolean embed;
            if (assignments != null) {
                TrackAssignment a = assignments.get(i);
                d.setTrackId(a.trackId());
                d.setTrackConfirmed(a.state() == TrackState.CONFIRMED);
                embed = a.embed();
            } else {
                embed = settings.everyFrame() || settings.embeddable(d);
            }
            d.setEmbedded(embed);
            faces.add(d);
            if (!embed) {
                skipped.inc();
                continue;
            }
            scheduled.inc();
            out.collect(
                    FaceCrop.newBuilder()
                            .setRef(
                                    FaceRef.newBuilder()
                                            .setCameraId(frame.getCameraId())
                                            .setSequence(frame.getSequence())
                                            .setTimestamp(frame.getTimestamp().toEpochMilli())
                                            .setIngestTime(f.getIngestTime())
                                            .setFacesInFrame(f.getFaces().size())
                                            .setDetectorModel(f.getDetectorModel())
                                            .setFace(d)
                                            .build())
                            .setCropSize(f.getCropSize())
                            .setCrop(f.getCrops().get(i))
                            .build());
        }
        FrameAge.update(frameAges, frame.getTimestamp().toEpochMilli());
        FrameFaces tracked =
                FrameFaces.newBuilder(f).setFaces(faces).setCrops(List.<ByteBuffer>of()).build();
        ctx.output(
                TRACKED,
                TrackedFrame.newBuilder()
                        .setCameraId(frame.getCameraId())
                        .setSequence(frame.getSequence())
                        .setFrame(tracked)
                        .setLate(isLate)
                        .setEndedTracks(ended)
                        .build());
    }

    private void armIdleTimer(Context ctx) throws Exception {
        Long old = idleTimer.value();
        if (old != null) {
            ctx.timerService().deleteProcessingTimeTimer(old);
        }
        long at = ctx.timerService().currentProcessingTime() + settings.idleTimeoutMs();
        ctx.timerService().registerProcessingTimeTimer(at);
        idleTimer.update(at);
    }

    @Override
    public void onTimer(long ts, OnTimerContext ctx, Collector<FaceCrop> out) throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        if (openedAt == Long.MIN_VALUE) {
            // The first call after open(): a restored timer, or one this instance set.
            openedAt = now;
        }
        if (ctx.timeDomain() == TimeDomain.EVENT_TIME) {
            while (firstWaiting() != null) {
                drain(true, ctx, out);
            }
            endAll(ctx);
            Long idle = idleTimer.value();
            if (idle != null) {
                ctx.timerService().deleteProcessingTimeTimer(idle);
                idleTimer.clear();
            }
            endTimer.clear();
            return;
        }
        Long gap = gapTimer.value();
        if (gap != null && gap == ts) {
            if (now - openedAt < settings.gapTimeoutMs()) {
                rearm(gapTimer, openedAt + settings.gapTimeoutMs(), ctx);
            } else {
                gapTimer.clear();
                drain(true, ctx, out);
            }
        }
        Long idle = idleTimer.value();
        if (idle != null && idle == ts) {
            if (now - openedAt < settings.idleTimeoutMs()) {
                rearm(idleTimer, openedAt + settings.idleTimeoutMs(), ctx);
            } else {
                idleTimer.clear();
                if (firstWaiting() == null) {
                    endAll(ctx);
                }
            }
        }
    }

    private static void rearm(ValueState<Long> timer, long at, Context ctx) throws Exception {
        ctx.timerService().registerProcessingTimeTimer(at);
        timer.update(at);
    }

    /** The camera went quiet or its input ended: every live track ends. */
    private void endAll(Context ctx) throws Exception {
        FaceTracker t = loadTracker();
        List<EndedTrack> ended = t.endAll();
        saveTracker(t);
        if (ended.isEmpty()) {
            return;
        }
        List<Long> ids = new ArrayList<>();
        ended.forEach(e -> ids.add(e.trackId()));
        Long last = lastSequence.value();
        ctx.output(
                TRACKED,
                TrackedFrame.newBuilder()
                        .setCameraId(ctx.getCurrentKey())
                        .setSequence(last == null ? -1 : last)
                        .setFrame(null)
                        .setEndedTracks(ids)
                        .build());
    }

    private FaceTracker loadTracker() throws Exception {
        byte[] b = tracker.value();
        return b == null
                ? new FaceTracker(settings.tracker())
                : FaceTracker.restore(settings.tracker(), b);
    }

    private void saveTracker(FaceTracker t) throws Exception {
        lastLiveTracks = t.liveTracks();
        tracker.update(t.snapshot());
    }
}
