package io.facestream.flink;

import io.facestream.annotate.FaceAnnotator;
import io.facestream.decode.ImageDecoder;
import io.facestream.detect.Face;
import io.facestream.gallery.Decision;
import io.facestream.gallery.IdentityDecider;
import io.facestream.gallery.Match;
import io.facestream.schema.AnnotatedFrame;
import io.facestream.schema.FaceIdentity;
import io.facestream.schema.Frame;
import io.facestream.schema.FrameEncoding;
import io.facestream.schema.MatchStatus;
import io.facestream.schema.Point;
import io.facestream.schema.internal.DetectedFace;
import io.facestream.schema.internal.FaceMatches;
import io.facestream.schema.internal.FrameFaces;
import io.facestream.schema.internal.GalleryMatch;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Joins a frame (keyed by camera and sequence) with the lookup results of all its faces, then
 * decides who is who for the whole frame at once — threshold, tie-break vote, and no identity given
 * to two faces of one frame ({@link IdentityDecider}) — and emits one {@link FaceIdentity} per face
 * plus, when enabled, the annotated frame on {@link #ANNOTATED}. A frame whose faces do not all
 * arrive within the timeout is completed anyway: the missing faces become {@code LOOKUP_FAILED}.
 */
public class FrameAssembler
        extends KeyedCoProcessFunction<String, FrameFaces, FaceMatches, FaceIdentity> {
    public static final OutputTag<AnnotatedFrame> ANNOTATED =
            new OutputTag<>("annotated", new AvroTypeInfo<>(AnnotatedFrame.class));

    private final AssembleSettings settings;
    private transient ValueState<FrameFaces> frame;
    private transient MapState<Integer, FaceMatches> results;
    private transient ValueState<Long> timer;
    private transient IdentityDecider decider;
    private transient ImageDecoder decoder;
    private transient Counter matched;
    private transient Counter unknown;
    private transient Counter failed;
    private transient Counter incomplete;

    public FrameAssembler(AssembleSettings settings) {
        this.settings = settings;
    }

    /** The key both inputs are partitioned by. */
    public static String key(String cameraId, long sequence) {
        return cameraId + "#" + sequence;
    }

    @Override
    public void open(OpenContext ctx) {
        OpenCvThreads.single();
        var rc = getRuntimeContext();
        frame =
                rc.getState(
                        new ValueStateDescriptor<>("frame", new AvroTypeInfo<>(FrameFaces.class)));
        results =
                rc.getMapState(
                        new MapStateDescriptor<>(
                                "results", Types.INT, new AvroTypeInfo<>(FaceMatches.class)));
        timer = rc.getState(new ValueStateDescriptor<>("timer", Types.LONG));
        decider = new IdentityDecider(settings.minSimilarity(), settings.sameIdentityMargin());
        decoder = new ImageDecoder();
        var g = rc.getMetricGroup();
        matched = g.counter("identitiesMatched");
        unknown = g.counter("identitiesUnknown");
        failed = g.counter("identitiesLookupFailed");
        incomplete = g.counter("framesCompletedByTimeout");
    }

    @Override
    public void processElement1(FrameFaces f, Context ctx, Collector<FaceIdentity> out)
            throws Exception {
        frame.update(f);
        if (!tryComplete(ctx, out)) {
            armTimer(ctx);
        }
    }

    @Override
    public void processElement2(FaceMatches m, Context ctx, Collector<FaceIdentity> out)
            throws Exception {
        results.put(m.getFace().getFaceIndex(), m);
        if (!tryComplete(ctx, out)) {
            armTimer(ctx);
        }
    }

    private void armTimer(Context ctx) throws Exception {
        if (timer.value() == null) {
            long at = ctx.timerService().currentProcessingTime() + settings.timeoutMs();
            ctx.timerService().registerProcessingTimeTimer(at);
            // Flink drops pending processing-time timers when a bounded input ends; the final
            // watermark fires this one instead, after every record of both inputs has arrived.
            ctx.timerService().registerEventTimeTimer(EmbedBatcher.END_OF_INPUT);
            timer.update(at);
        }
    }

    private boolean tryComplete(Context ctx, Collector<FaceIdentity> out) throws Exception {
        FrameFaces f = frame.value();
        if (f == null) {
            return false;
        }
        int have = 0;
        for (Integer ignored : results.keys()) {
            have++;
        }
        if (have < f.getFaces().size()) {
            return false;
        }
        complete(f, ctx, out);
        Long t = timer.value();
        if (t != null) {
            ctx.timerService().deleteProcessingTimeTimer(t);
            ctx.timerService().deleteEventTimeTimer(EmbedBatcher.END_OF_INPUT);
        }
        clear();
        return true;
    }

    @Override
    public void onTimer(long ts, OnTimerContext ctx, Collector<FaceIdentity> out) throws Exception {
        if (frame.value() == null && results.isEmpty()) {
            return; // the other timer of an already completed frame
        }
        Long t = timer.value();
        if (t != null) {
            ctx.timerService().deleteProcessingTimeTimer(t);
            ctx.timerService().deleteEventTimeTimer(EmbedBatcher.END_OF_INPUT);
        }
        incomplete.inc();
        FrameFaces f = frame.value();
        if (f != null) {
            complete(f, ctx, out);
        } else {
            // Results without their frame (its detect record was lost?): still report the faces.
            for (FaceMatches m : results.values()) {
                List<FaceIdentity> ids =
                        decide(
                                List.of(m.getFace()),
                                Map.of(m.getFace().getFaceIndex(), m),
                                m.getFacesInFrame(),
                                m.getCameraId(),
                                m.getSequence(),
                                m.getTimestamp(),
                                m.getIngestTime(),
                                m.getDetectorModel(),
                                m.getEmbedderModel());
                ids.forEach(out::collect);
            }
        }
        clear();
    }

    private void clear() {
        frame.clear();
        results.clear();
        timer.clear();
    }

    private void complete(FrameFaces f, Context ctx, Collector<FaceIdentity> out) throws Exception {
        Map<Integer, FaceMatches> byFace = new TreeMap<>();
        for (Map.Entry<Integer, FaceMatches> e : results.entries()) {
            byFace.put(e.getKey(), e.getValue());
        }
        String embedder =
                byFace.values().stream().map(FaceMatches::getEmbedderModel).findFirst().orElse("");
        List<FaceIdentity> ids =
                decide(
                        f.getFaces(),
                        byFace,
                        f.getFaces().size(),
                        f.getFrame().getCameraId(),
                        f.getFrame().getSequence(),
                        f.getFrame().getTimestamp().toEpochMilli(),
                        f.getIngestTime(),
                        f.getDetectorModel(),
                        embedder);
        ids.forEach(out::collect);
        if (settings.annotate()) {
            ctx.output(ANNOTATED, annotate(f, ids));
        }
    }

    private List<FaceIdentity> decide(
            List<DetectedFace> faces,
            Map<Integer, FaceMatches> byFace,
            int facesInFrame,
            String camera,
            long sequence,
            long timestamp,
            long ingest,
            String detector,
            String embedder) {
        List<List<Match>> topKs = new ArrayList<>();
        List<DetectedFace> looked = new ArrayList<>();
        for (DetectedFace d : faces) {
            FaceMatches m = byFace.get(d.getFaceIndex());
            if (m != null && !m.getLookupFailed()) {
                List<Match> k = new ArrayList<>();
                for (GalleryMatch g : m.getMatches()) {
                    k.add(
                            new Match(
                                    g.getEntryId(),
                                    g.getIdentity(),
                                    g.getSimilarity(),
                                    g.getSource()));
                }
                topKs.add(k);
                looked.add(d);
            }
        }
        List<Decision> decisions = decider.decide(topKs);
        List<FaceIdentity> out = new ArrayList<>(faces.size());
        for (DetectedFace d : faces) {
            int i = looked.indexOf(d);
            Decision dec = i >= 0 ? decisions.get(i) : null;
            MatchStatus status = dec == null ? MatchStatus.LOOKUP_FAILED : dec.status();
            FaceMatches m = byFace.get(d.getFaceIndex());
            String error =
                    dec != null
                            ? null
                            : m == null
                                    ? "no lookup result within assemble.timeout"
                                    : (m.getError() != null ? m.getError() : "lookup failed");
            switch (status) {
                case MATCHED -> matched.inc();
                case UNKNOWN -> unknown.inc();
                default -> failed.inc();
            }
            out.add(
                    FaceIdentity.newBuilder()
                            .setCameraId(camera)
                            .setFrameSequence(sequence)
                            .setTimestamp(Instant.ofEpochMilli(timestamp))
                            .setFaceIndex(d.getFaceIndex())
                            .setFacesInFrame(facesInFrame)
                            .setBox(d.getBox())
                            .setLandmarks(d.getLandmarks())
                            .setDetectionScore(d.getScore())
                            .setStatus(status)
                            .setIdentity(dec == null ? null : dec.identity())
                            .setSimilarity(
                                    dec == null || Float.isNaN(dec.similarity())
                                            ? null
                                            : dec.similarity())
                            .setCandidates(dec == null ? List.of() : dec.topCandidates())
                            .setGallery(settings.gallery())
                            .setDetectorModel(detector)
                            .setEmbedderModel(embedder)
                            .setIngestTime(Instant.ofEpochMilli(ingest))
                            .setEmitTime(Instant.now())
                            .setError(error)
                            .build());
        }
        return out;
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
                    draw(img, ids);
                }
                jpeg = io.facestream.annotate.Jpeg.encode(img, settings.jpegQuality());
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

    /** Draws each identity's box, landmarks and label (name and similarity) onto {@code img}. */
    public static void draw(Mat img, List<FaceIdentity> ids) {
        for (FaceIdentity id : ids) {
            FaceAnnotator.draw(
                    img,
                    toFace(id),
                    label(id),
                    id.getStatus() == MatchStatus.MATCHED
                            ? FaceAnnotator.KNOWN
                            : FaceAnnotator.UNKNOWN);
        }
    }

    static String label(FaceIdentity id) {
        return switch (id.getStatus()) {
            case MATCHED ->
                    String.format(Locale.ROOT, "%s %.2f", id.getIdentity(), id.getSimilarity());
            case UNKNOWN ->
                    id.getSimilarity() == null
                            ? "Unknown"
                            : String.format(Locale.ROOT, "Unknown %.2f", id.getSimilarity());
            default -> "lookup failed";
        };
    }

    static Face toFace(FaceIdentity id) {
        float[] lm = new float[10];
        for (int k = 0; k < 5; k++) {
            Point p = id.getLandmarks().get(k);
            lm[2 * k] = p.getX();
            lm[2 * k + 1] = p.getY();
        }
        var b = id.getBox();
        return new Face(b.getX1(), b.getY1(), b.getX2(), b.getY2(), lm, id.getDetectionScore());
    }
}
