package io.facestream.flink;

import io.facestream.annotate.IdentityDrawing;
import io.facestream.annotate.Jpeg;
import io.facestream.decode.ImageDecoder;
import io.facestream.gallery.Decision;
import io.facestream.gallery.Galleries;
import io.facestream.gallery.GalleryView;
import io.facestream.gallery.IdentityDecider;
import io.facestream.gallery.Match;
import io.facestream.gallery.Watchlists;
import io.facestream.schema.AnnotatedFrame;
import io.facestream.schema.FaceAlert;
import io.facestream.schema.FaceAppearance;
import io.facestream.schema.FaceIdentity;
import io.facestream.schema.Frame;
import io.facestream.schema.FrameEncoding;
import io.facestream.schema.MatchStatus;
import io.facestream.schema.internal.DetectedFace;
import io.facestream.schema.internal.FaceMatches;
import io.facestream.schema.internal.FrameFaces;
import io.facestream.schema.internal.GalleryMatch;
import io.facestream.schema.internal.TrackAppearanceState;
import io.facestream.schema.internal.TrackedFrame;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per camera (keyed by camera id): joins the tracked frames, in the tracker's order, with the
 * gallery matches of their embedded faces, and completes them strictly in that order — so each
 * track's identity vote sees its faces in frame order and the outcome is deterministic. A frame
 * whose matches do not all arrive within {@code assemble.timeout} is completed anyway (those faces
 * are {@code LOOKUP_FAILED}).
 *
 * <p>Per frame: the embedded faces are decided together ({@link IdentityDecider}: threshold, top-k
 * vote, one identity per frame), each decision feeds its track's vote ({@link TrackAppearances}),
 * and one {@link FaceIdentity} per face is emitted carrying its track's identity — or, in {@code
 * every-frame} mode, its own decision as before tracking existed. Faces that failed a quality gate
 * are {@code NOT_RECOGNISABLE} with the gate as reason. A frame that waited in the tracker for its
 * predecessor sent its picture ahead (same channel, so it comes first); it is kept by sequence and
 * put back when the frame comes. Appearance events go to {@link #APPEARANCES}, annotated frames to
 * {@link #ANNOTATED}, watchlist alerts to {@link #ALERTS}.
 *
 * <p>With a gallery to watch, a {@link GalleryView} re-reads the gallery every {@code
 * gallery.refresh-interval} when it changed, and each track seen in a frame is reconciled with it:
 * a name deleted from the gallery, or no longer on a list the camera matches, is dropped from the
 * track's vote, so it is never emitted again once the view has seen the change; after any change
 * the track's UNKNOWN decisions are dropped, so someone just enrolled can win the vote on the
 * track's next lookups. With unknown pseudonyms enabled, an UNKNOWN track's ENDED event gets its
 * pseudonym ({@link UnknownAssigner}).
 */
public class TrackAssembler
        extends KeyedCoProcessFunction<String, TrackedFrame, FaceMatches, FaceIdentity> {
    public static final OutputTag<AnnotatedFrame> ANNOTATED =
            new OutputTag<>("annotated", new AvroTypeInfo<>(AnnotatedFrame.class));
    public static final OutputTag<FaceAppearance> APPEARANCES =
            new OutputTag<>("appearances", new AvroTypeInfo<>(FaceAppearance.class));
    public static final OutputTag<FaceAlert> ALERTS =
            new OutputTag<>("alerts", new AvroTypeInfo<>(FaceAlert.class));

    private final AssembleSettings settings;
    private final TrackSettings tracking;
    private final UnknownSettings unknowns;
    private final LookupSettings gallery;
    private final WatchSettings watch;
    private static final Logger LOG = LoggerFactory.getLogger(TrackAssembler.class);
    private transient GalleryView view;
    private transient long lastViewAttempt;
    private transient long lastViewError;
    private transient MapState<Long, TrackedFrame> queue;
    private transient ValueState<Long> nextIn;
    private transient ValueState<Long> nextOut;
    private transient MapState<String, FaceMatches> results;
    private transient MapState<Long, TrackAppearanceState> tracks;
    private transient MapState<Long, byte[]> pictures;
    private transient ValueState<Long> timer;
    private transient ValueState<Boolean> endTimer;
    private transient IdentityDecider decider;
    private transient ImageDecoder decoder;
    private transient Counter matched;
    private transient Counter unknown;
    private transient Counter failed;
    private transient Counter notRecognisable;
    private transient Counter incomplete;
    private transient UnknownAssigner assigner;
    private transient Counter alerts;
    private transient Histogram frameAges;

    /** Without watching the gallery: no watchlists, no alerts, votes kept as decided. */
    public TrackAssembler(AssembleSettings settings, TrackSettings tracking) {
        this(settings, tracking, null, UnknownSettings.disabled());
    }

    /** With pseudonyms for unknown tracks when {@code unknowns} is enabled. */
    public TrackAssembler(
            AssembleSettings settings, TrackSettings tracking, UnknownSettings unknowns) {
        this(settings, tracking, null, unknowns);
    }

    /**
     * @param gallery the gallery to watch and its per-camera watchlists; null for none
     * @param unknowns pseudonyms for unknown tracks, when enabled
     */
    public TrackAssembler(
            AssembleSettings settings,
            TrackSettings tracking,
            LookupSettings gallery,
            UnknownSettings unknowns) {
        this.settings = settings;
        this.tracking = tracking;
        this.unknowns = unknowns;
        this.gallery = gallery;
        this.watch = gallery == null ? WatchSettings.NONE : gallery.watch();
    }

    @Override
    public void open(OpenContext ctx) {
        OpenCvThreads.single();
        var rc = getRuntimeContext();
        queue =
                rc.getMapState(
                        new MapStateDescriptor<>(
                                "queue", Types.LONG, new AvroTypeInfo<>(TrackedFrame.class)));
        nextIn = rc.getState(new ValueStateDescriptor<>("next-in", Types.LONG));
        nextOut = rc.getState(new ValueStateDescriptor<>("next-out", Types.LONG));
        results =
                rc.getMapState(
                        new MapStateDescriptor<>(
                                "results", Types.STRING, new AvroTypeInfo<>(FaceMatches.class)));
        tracks =
                rc.getMapState(
                        new MapStateDescriptor<>(
                                "tracks",
                                Types.LONG,
                                new AvroTypeInfo<>(TrackAppearanceState.class)));
        pictures =
                rc.getMapState(
                        new MapStateDescriptor<>(
                                "pictures",
                                Types.LONG,
                                PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        timer = rc.getState(new ValueStateDescriptor<>("timer", Types.LONG));
        endTimer = rc.getState(new ValueStateDescriptor<>("end-timer", Types.BOOLEAN));
        decider =
                new IdentityDecider(
                        settings.minSimilarity(),
                        settings.sameIdentityMargin(),
                        settings.minIdentityMargin());
        decoder = new ImageDecoder();
        var g = rc.getMetricGroup();
        matched = g.counter("identitiesMatched");
        unknown = g.counter("identitiesUnknown");
        failed = g.counter("identitiesLookupFailed");
        notRecognisable = g.counter("identitiesNotRecognisable");
        incomplete = g.counter("framesCompletedByTimeout");
        assigner = UnknownAssigner.open(unknowns, rc.getTaskInfo().getIndexOfThisSubtask(), g);
        alerts = g.counter("alerts");
        frameAges = FrameAge.register(g);
        openView();
    }

    /**
     * Opens the gallery view; a gallery that cannot be opened now (Redis down, a key of another
     * type) must not fail the task: the lookups report it per face, and the view is tried again at
     * most every refresh interval.
     */
    private void openView() {
        if (gallery == null || view != null) {
            return;
        }
        long now = System.currentTimeMillis();
        if (now - lastViewAttempt < watch.refreshMs()) {
            return;
        }
        lastViewAttempt = now;
        try {
            view =
                    new GalleryView(
                            Galleries.open(
                                    gallery.redisUrl(),
                                    gallery.gallery(),
                                    gallery.galleryOptions(),
                                    gallery.tls()),
                            watch.refreshMs());
        } catch (RuntimeException e) {
            if (now - lastViewError > 60_000) {
                lastViewError = now;
                LOG.warn(
                        "cannot watch gallery '{}' for changes yet (tried again every {} ms): {}",
                        gallery.gallery(),
                        watch.refreshMs(),
                        e.getMessage());
            }
        }
    }

    @Override
    public void close() throws Exception {
        if (assigner != null) {
            assigner.close();
        }
        if (view != null) {
            view.close();
        }
        super.close();
    }

    static String resultKey(long sequence, int faceIndex) {
        return sequence + "#" + faceIndex;
    }

    @Override
    public void processElement1(TrackedFrame f, Context ctx, Collector<FaceIdentity> out)
            throws Exception {
        if (endTimer.value() == null) {
            // The final watermark completes what still waits when a bounded input ends (Flink
            // drops processing-time timers then).
            ctx.timerService().registerEventTimeTimer(EmbedBatcher.END_OF_INPUT);
            endTimer.update(true);
        }
        if (f.getPicture() != null) {
            // A frame that waits in the tracker sent its picture ahead; the frame follows.
            pictures.put(f.getSequence(), Frames.bytes(f.getPicture()));
            return;
        }
        long in = nextIn.value() == null ? 0 : nextIn.value();
        queue.put(in, f);
        nextIn.update(in + 1);
        drain(false, ctx, out);
    }

    @Override
    public void processElement2(FaceMatches m, Context ctx, Collector<FaceIdentity> out)
            throws Exception {
        results.put(resultKey(m.getRef().getSequence(), m.getRef().getFace().getFaceIndex()), m);
        drain(false, ctx, out);
    }

    @Override
    public void onTimer(long ts, OnTimerContext ctx, Collector<FaceIdentity> out) throws Exception {
        if (ctx.timeDomain() == TimeDomain.EVENT_TIME) {
            endTimer.clear();
            while (head() != null) {
                incomplete.inc();
                drain(true, ctx, out);
            }
            return;
        }
        Long t = timer.value();
        if (t != null && t == ts) {
            timer.clear();
            incomplete.inc();
            drain(true, ctx, out);
        }
    }

    private TrackedFrame head() throws Exception {
        Long out = nextOut.value();
        return queue.get(out == null ? 0 : out);
    }

    /** Completes frames from the head while their matches are all in (the first one anyway). */
    private void drain(boolean force, Context ctx, Collector<FaceIdentity> out) throws Exception {
        boolean completed = false;
        TrackedFrame f;
        while ((f = head()) != null) {
            if (!force && !hasAllMatches(f)) {
                break;
            }
            force = false;
            long o = nextOut.value() == null ? 0 : nextOut.value();
            queue.remove(o);
            nextOut.update(o + 1);
            complete(f, ctx, out);
            completed = true;
        }
        Long pending = timer.value();
        if (head() == null) {
            if (pending != null) {
                ctx.timerService().deleteProcessingTimeTimer(pending);
                timer.clear();
            }
        } else if (pending == null || completed) {
            // The deadline runs from when a frame became the head.
            if (pending != null) {
                ctx.timerService().deleteProcessingTimeTimer(pending);
            }
            long at = ctx.timerService().currentProcessingTime() + settings.timeoutMs();
            ctx.timerService().registerProcessingTimeTimer(at);
            timer.update(at);
        }
    }

    private boolean hasAllMatches(TrackedFrame f) throws Exception {
        if (f.getFrame() == null) {
            return true;
        }
        for (DetectedFace d : f.getFrame().getFaces()) {
            if (d.getEmbedded()
                    && !results.contains(resultKey(f.getSequence(), d.getFaceIndex()))) {
                return false;
            }
        }
        return true;
    }

    private void complete(TrackedFrame tf, Context ctx, Collector<FaceIdentity> out)
            throws Exception {
        String camera = tf.getCameraId();
        FrameFaces f = tf.getFrame();
        if (f != null && WaitingFrames.pictureWentAhead(f)) {
            byte[] picture = pictures.get(tf.getSequence());
            if (picture != null) {
                pictures.remove(tf.getSequence());
                f = WaitingFrames.withPicture(f, ByteBuffer.wrap(picture));
            }
        }
        if (f != null) {
            List<FaceIdentity> ids = decideFrame(tf, f, ctx);
            FrameAge.update(frameAges, f.getFrame().getTimestamp().toEpochMilli());
            ids.forEach(out::collect);
            if (settings.annotate()) {
                ctx.output(ANNOTATED, annotate(f, ids));
            }
        }
        for (Long ended : tf.getEndedTracks()) {
            TrackAppearanceState st = tracks.get(ended);
            if (st == null) {
                continue;
            }
            TrackAppearances track = TrackAppearances.of(st, tracking.vote());
            String name = track.identity();
            track.matchedLists(name == null ? null : matchedLists(camera, name, track));
            FaceAppearance e = track.ended(camera, settings.gallery());
            if (e != null) {
                if (assigner != null) {
                    assigner.assign(camera, st, e);
                }
                ctx.output(APPEARANCES, e);
            }
            tracks.remove(ended);
        }
    }

    private List<FaceIdentity> decideFrame(TrackedFrame tf, FrameFaces f, Context ctx)
            throws Exception {
        Frame frame = f.getFrame();
        long seq = frame.getSequence();
        long ts = frame.getTimestamp().toEpochMilli();
        // The embedded faces of the frame are decided together (one identity per frame).
        List<DetectedFace> looked = new ArrayList<>();
        List<List<Match>> topKs = new ArrayList<>();
        Map<Integer, FaceMatches> byFace = new HashMap<>();
        String embedder = "";
        for (DetectedFace d : f.getFaces()) {
            if (!d.getEmbedded()) {
                continue;
            }
            String key = resultKey(seq, d.getFaceIndex());
            FaceMatches m = results.get(key);
            results.remove(key);
            if (m == null) {
                continue;
            }
            byFace.put(d.getFaceIndex(), m);
            embedder = m.getEmbedderModel();
            if (!m.getLookupFailed()) {
                looked.add(d);
                topKs.add(stillNamed(toMatches(m), tf.getCameraId()));
            }
        }
        List<Decision> decisions = decider.decide(topKs);
        Mat img = null;
        List<FaceIdentity> ids = new ArrayList<>(f.getFaces().size());
        try {
            for (DetectedFace d : f.getFaces()) {
                int i = looked.indexOf(d);
                Decision dec = i >= 0 ? decisions.get(i) : null;
                FaceMatches m = byFace.get(d.getFaceIndex());
                boolean poseFace = !tracking.everyFrame() && TrackSettings.poseOnly(d);
                if (poseFace && dec != null && !PoseFaces.named(dec, poseBar())) {
                    // Seen from the side and not clearly someone: no evidence either way.
                    dec = null;
                    m = null;
                }
                // A side view that cleared the stricter bar counts as a face that passed.
                boolean poseNamed = poseFace && dec != null;
                String gate = poseNamed ? null : d.getGateReason();
                TrackAppearances track = null;
                if (d.getTrackId() != null) {
                    TrackAppearanceState st = tracks.get(d.getTrackId());
                    track =
                            st == null
                                    ? TrackAppearances.start(
                                            d.getTrackId(), seq, ts, tracking.vote())
                                    : TrackAppearances.of(st, tracking.vote());
                    track.seen(seq, ts, gate);
                    if (dec != null) {
                        track.decided(
                                dec.identity(),
                                dec.similarity(),
                                d.getQuality(),
                                reportedLists(m, dec.identity()));
                        if (assigner != null && m.getEmbedding() != null) {
                            TrackTemplate.add(track.state(), m.getEmbedding());
                        }
                    } else if (d.getEmbedded() && !poseFace) {
                        track.lookupFailed();
                    }
                    reconcile(track, tf.getCameraId());
                    if (gate == null && track.wantsThumbnail(d.getQuality())) {
                        if (img == null) {
                            img = Frames.decode(frame, decoder, Frames.source(frame));
                        }
                        track.thumbnail(thumbnail(img, d), d.getQuality());
                    }
                    String name = track.identity();
                    track.matchedLists(
                            name == null ? null : matchedLists(tf.getCameraId(), name, track));
                    FaceAppearance event =
                            track.due(tf.getCameraId(), d.getTrackConfirmed(), settings.gallery());
                    if (event != null) {
                        ctx.output(APPEARANCES, event);
                    }
                    if (name != null && d.getTrackConfirmed()) {
                        FaceAlert alert =
                                track.alertDue(
                                        tf.getCameraId(),
                                        Watchlists.intersect(
                                                ownLists(name, track),
                                                watch.alertListsFor(tf.getCameraId())),
                                        seq,
                                        ts,
                                        settings.gallery());
                        if (alert != null) {
                            alerts.inc();
                            ctx.output(ALERTS, alert);
                        }
                    }
                    tracks.put(d.getTrackId(), track.state());
                }
                // Until its track is named, a named side view still reads NOT_RECOGNISABLE (POSE).
                DetectedFace shown =
                        poseNamed && track != null && track.identity() != null
                                ? PoseFaces.passed(d)
                                : d;
                FaceIdentity id =
                        TrackedIdentities.record(
                                f, shown, dec, m, track, tracking.everyFrame(), embedder, settings);
                if (id.getIdentity() != null) {
                    id.setLists(matchedLists(tf.getCameraId(), id.getIdentity(), track));
                }
                count(id.getStatus());
                ids.add(id);
            }
        } finally {
            if (img != null) {
                img.close();
            }
        }
        return ids;
    }

    /** The similarity a face that failed only the pose gate needs to be named. */
    private float poseBar() {
        return settings.minSimilarity() + tracking.poseMargin();
    }

    /** The gallery as last read, or null when not watched or not read yet. */
    private GalleryView.Snapshot snapshot() {
        openView();
        return view == null ? null : view.current();
    }

    private void reconcile(TrackAppearances track, String camera) {
        GalleryView.Snapshot g = snapshot();
        if (g != null) {
            track.reconcile(g.version(), name -> mayName(g, camera, name));
        }
    }

    /** Whether the gallery as last read still lets {@code camera} name {@code name}. */
    private boolean mayName(GalleryView.Snapshot g, String camera, String name) {
        java.util.SortedSet<String> allowed = watch.matchListsFor(camera);
        return g.present(name)
                && (allowed == null || !Watchlists.intersect(g.listsOf(name), allowed).isEmpty());
    }

    /**
     * The top-k without entries of names the camera may no longer use: a lookup still in flight
     * when someone was deleted must not name them after the view has seen the deletion (every-frame
     * mode and untracked faces use the face's own decision).
     */
    private List<Match> stillNamed(List<Match> topK, String camera) {
        GalleryView.Snapshot g = snapshot();
        if (g == null) {
            return topK;
        }
        List<Match> kept = new ArrayList<>(topK.size());
        for (Match m : topK) {
            if (mayName(g, camera, m.identity())) {
                kept.add(m);
            }
        }
        return kept;
    }

    /** {@code identity}'s watchlists: as the gallery was last read, else as lookups reported. */
    private List<String> ownLists(String identity, TrackAppearances track) {
        GalleryView.Snapshot g = snapshot();
        if (g != null) {
            return List.copyOf(g.listsOf(identity));
        }
        return track == null ? List.of() : track.reportedLists(identity);
    }

    private List<String> matchedLists(String camera, String identity, TrackAppearances track) {
        return watch.matchedLists(camera, ownLists(identity, track));
    }

    private static List<String> reportedLists(FaceMatches m, String identity) {
        if (m == null || identity == null) {
            return null;
        }
        return m.getLists().get(identity);
    }

    private void count(MatchStatus s) {
        switch (s) {
            case MATCHED -> matched.inc();
            case UNKNOWN -> unknown.inc();
            case NOT_RECOGNISABLE -> notRecognisable.inc();
            default -> failed.inc();
        }
    }

    private static List<Match> toMatches(FaceMatches m) {
        List<Match> k = new ArrayList<>(m.getMatches().size());
        for (GalleryMatch g : m.getMatches()) {
            k.add(
                    new Match(
                            g.getEntryId(),
                            g.getIdentity(),
                            g.getSimilarity(),
                            g.getSource(),
                            m.getLists().get(g.getIdentity())));
        }
        return k;
    }

    /** The face's box, widened by a fifth on each side, as a small JPEG. */
    static byte[] thumbnail(Mat img, DetectedFace d) {
        var b = d.getBox();
        float w = b.getX2() - b.getX1();
        float h = b.getY2() - b.getY1();
        int x1 = Math.max(0, Math.round(b.getX1() - 0.2f * w));
        int y1 = Math.max(0, Math.round(b.getY1() - 0.2f * h));
        int x2 = Math.min(img.cols(), Math.round(b.getX2() + 0.2f * w));
        int y2 = Math.min(img.rows(), Math.round(b.getY2() + 0.2f * h));
        if (x2 - x1 < 2 || y2 - y1 < 2) {
            return new byte[0];
        }
        try (Rect r = new Rect(x1, y1, x2 - x1, y2 - y1);
                Mat crop = new Mat(img, r)) {
            return Jpeg.encode(crop, 85);
        }
    }

    private AnnotatedFrame annotate(FrameFaces f, List<FaceIdentity> ids) {
        Frame frame = f.getFrame();
        byte[] jpeg;
        if ((!settings.draw() || ids.isEmpty()) && frame.getEncoding() == FrameEncoding.JPEG) {
            // Nothing to draw: the source's own JPEG, without a decode and re-encode.
            jpeg = Frames.bytes(frame.getData());
        } else {
            try (Mat img = Frames.decode(frame, decoder, Frames.source(frame))) {
                if (settings.draw()) {
                    IdentityDrawing.draw(img, ids);
                }
                jpeg = Jpeg.encode(img, settings.jpegQuality());
            }
        }
        return AnnotatedFrame.newBuilder()
                .setCameraId(frame.getCameraId())
                .setSequence(frame.getSequence())
                .setTimestamp(frame.getTimestamp())
                .setJpeg(ByteBuffer.wrap(jpeg))
                .setFaces(ids)
                .build();
    }
}
