package io.facestream.flink;

import io.facestream.align.AlignedFace;
import io.facestream.align.FaceAligner;
import io.facestream.decode.FrameSignature;
import io.facestream.decode.ImageDecodeException;
import io.facestream.decode.ImageDecoder;
import io.facestream.detect.Face;
import io.facestream.detect.FaceDetector;
import io.facestream.detect.FaceDetectors;
import io.facestream.model.ModelManifest;
import io.facestream.model.ModelSpec;
import io.facestream.quality.FaceQuality;
import io.facestream.quality.QualityGate;
import io.facestream.quality.QualityVerdict;
import io.facestream.schema.Box;
import io.facestream.schema.Frame;
import io.facestream.schema.Point;
import io.facestream.schema.internal.DetectedFace;
import io.facestream.schema.internal.FrameFaces;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.accumulators.IntCounter;
import org.apache.flink.api.common.externalresource.ExternalResourceInfo;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.bytedeco.opencv.opencv_core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decode → detect → align → quality gates, one frame at a time. Emits the frame with its detections
 * (each with its quality and the gate it failed, if any) and their aligned BGR crops as one {@link
 * FrameFaces} (also when it has no face), for the tracker; and for a frame that does not decode, a
 * dead letter and an {@code unreadable} marker (so the tracker does not wait for it).
 *
 * <p>When configured with an external resource ({@code detect.accelerator=hailo}), the operator
 * reads the device Flink assigned to its slot and logs it; inference itself runs on ONNX Runtime
 * (running the models on the Hailo chip needs HailoRT, which this build does not include).
 */
public class DetectAlignFunction extends ProcessFunction<Frame, FrameFaces> {
    private static final Logger LOG = LoggerFactory.getLogger(DetectAlignFunction.class);

    /** Smaller frames cannot hold a detectable face; they are reported, not silently empty. */
    static final int MIN_SIDE = 16;

    private final DetectSettings settings;
    private transient FaceDetector detector;
    private transient FaceAligner aligner;
    private transient ImageDecoder decoder;
    private transient QualityGate gate;
    private transient Counter frames;
    private transient Counter faces;
    private transient Counter deadLetters;
    private transient Histogram frameAges;
    private transient String device;

    /** Prefix of the per-camera frame accumulators ({@link DetectSettings#frameAccumulators}). */
    public static final String FRAMES_ACCUMULATOR = "frames:";

    private transient Map<String, IntCounter> cameraFrames;

    public DetectAlignFunction(DetectSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext ctx) {
        OpenCvThreads.single();
        if (settings.externalResource() != null) {
            Set<ExternalResourceInfo> infos =
                    getRuntimeContext().getExternalResourceInfos(settings.externalResource());
            if (infos.isEmpty()) {
                throw new IllegalStateException(
                        "detect.accelerator="
                                + settings.externalResource()
                                + " but this TaskManager offers no such external resource; declare"
                                + " external-resources: "
                                + settings.externalResource()
                                + " with its driver plugin");
            }
            ExternalResourceInfo info = infos.iterator().next();
            device = info.getProperty("path").orElse(info.toString());
            LOG.info(
                    "detect subtask {} uses {} device {} (inference on ONNX Runtime)",
                    getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(),
                    settings.externalResource(),
                    device);
        }
        ModelManifest manifest = ModelManifest.bundled();
        ModelSpec spec =
                settings.detectorId() == null
                        ? manifest.defaultDetector()
                        : manifest.get(settings.detectorId());
        detector = FaceDetectors.open(spec, settings.models(), settings.detector());
        aligner = new FaceAligner(settings.cropSize());
        decoder = new ImageDecoder(settings.maxPixels());
        gate = new QualityGate(settings.quality());
        var group = getRuntimeContext().getMetricGroup();
        frames = group.counter("framesIn");
        faces = group.counter("facesOut");
        deadLetters = group.counter("deadLetters");
        frameAges = FrameAge.register(group);
        cameraFrames = new HashMap<>();
    }

    /** The device path this subtask was given, or null without an accelerator. */
    public String device() {
        return device;
    }

    @Override
    public void processElement(Frame frame, Context ctx, Collector<FrameFaces> out) {
        frames.inc();
        if (settings.frameAccumulators()) {
            cameraFrames
                    .computeIfAbsent(
                            frame.getCameraId(),
                            cam -> {
                                IntCounter c = new IntCounter();
                                getRuntimeContext().addAccumulator(FRAMES_ACCUMULATOR + cam, c);
                                return c;
                            })
                    .add(1);
        }
        long ingest = System.currentTimeMillis();
        String source = Frames.source(frame);
        List<DetectedFace> detected = new ArrayList<>();
        List<ByteBuffer> crops = new ArrayList<>();
        byte[] signature;
        try (Mat img = Frames.decode(frame, decoder, source)) {
            if (img.cols() < MIN_SIDE || img.rows() < MIN_SIDE) {
                throw new IllegalArgumentException(
                        "frame of "
                                + img.cols()
                                + "x"
                                + img.rows()
                                + " px is too small to hold a face (minimum "
                                + MIN_SIDE
                                + "x"
                                + MIN_SIDE
                                + ")");
            }
            signature = FrameSignature.of(img);
            List<Face> found = detector.detect(img);
            for (int i = 0; i < found.size(); i++) {
                Face f = found.get(i);
                DetectedFace d = toDetected(i, f);
                detected.add(d);
                try (AlignedFace a = aligner.align(img, f)) {
                    QualityVerdict v = gate.check(FaceQuality.measure(f, a.crop()));
                    d.setQuality(v.quality());
                    d.setGateReason(v.pass() ? null : v.reason().name());
                    crops.add(ByteBuffer.wrap(Frames.pixels(a.crop())));
                }
            }
            faces.inc(found.size());
        } catch (ImageDecodeException | IllegalArgumentException e) {
            deadLetters.inc();
            ctx.output(
                    DeadLetters.TAG,
                    DeadLetters.of(source, "decode", e, Frames.bytes(frame.getData())));
            // The tracker restores each camera's frame order: without this marker it would hold
            // the camera's next frames for track.gap-timeout, waiting for a frame that never comes.
            out.collect(
                    FrameFaces.newBuilder()
                            .setFrame(
                                    Frame.newBuilder(frame)
                                            .setData(ByteBuffer.wrap(new byte[0]))
                                            .build())
                            .setIngestTime(ingest)
                            .setDetectorModel(detector.spec().id())
                            .setFaces(List.of())
                            .setUnreadable(true)
                            .build());
            return;
        }
        FrameAge.update(frameAges, frame.getTimestamp().toEpochMilli());
        out.collect(
                FrameFaces.newBuilder()
                        .setFrame(frame)
                        .setIngestTime(ingest)
                        .setDetectorModel(detector.spec().id())
                        .setFaces(detected)
                        .setCropSize(settings.cropSize())
                        .setSignature(ByteBuffer.wrap(signature))
                        .setCrops(crops)
                        .build());
    }

    static DetectedFace toDetected(int index, Face f) {
        List<Point> lm = new ArrayList<>(5);
        for (int k = 0; k < 5; k++) {
            lm.add(new Point(f.lx(k), f.ly(k)));
        }
        return DetectedFace.newBuilder()
                .setFaceIndex(index)
                .setBox(new Box(f.x1(), f.y1(), f.x2(), f.y2()))
                .setLandmarks(lm)
                .setScore(f.score())
                .build();
    }

    @Override
    public void close() {
        if (detector != null) {
            detector.close();
        }
    }
}
