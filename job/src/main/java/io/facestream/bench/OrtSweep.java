package io.facestream.bench;

import io.facestream.align.AlignedFace;
import io.facestream.align.FaceAligner;
import io.facestream.decode.ImageDecoder;
import io.facestream.detect.DetectorOptions;
import io.facestream.detect.Face;
import io.facestream.detect.FaceDetector;
import io.facestream.detect.FaceDetectors;
import io.facestream.detect.Letterbox;
import io.facestream.embed.FaceEmbedder;
import io.facestream.model.ModelManifest;
import io.facestream.model.ModelOptions;
import io.facestream.model.ModelSpec;
import io.facestream.model.OrtTuning;
import io.facestream.model.TensorPacker;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Each ONNX Runtime session setting against the product's defaults, A/B interleaved in one run:
 * every round runs one pass of every variant in turn, so the machine's load (2 shared cores) hits
 * them alike, and the ratio to the product default is taken per round. The cost is this JVM's CPU
 * time per unit (frame for a detector, face for an embedder), which other processes on the machine
 * barely move (a 10 ms clock: read it for passes of a second or more), the calling thread's CPU
 * time (nanosecond clock; without the pool threads of a 2-thread session), and wall time. Variants
 * are whole models opened through the product's own path ({@link FaceDetectors}, {@link
 * FaceEmbedder}) with one setting changed, plus the pre-processing alone (what the product adds
 * before the session runs).
 */
public final class OrtSweep {
    private OrtSweep() {}

    /** One row: a setting, its cost per unit in each round, its ratio to the baseline's. */
    public record Row(
            String model,
            String setting,
            double[] cpuMs,
            double[] callerCpuMs,
            double[] wallMs,
            double[] ratio) {}

    private record Variant(String setting, Runnable pass, AutoCloseable resource) {}

    /** Sweeps {@code detector} over {@code frames} and each embedder over their faces' crops. */
    public static List<Row> run(
            List<Mat> frames,
            ModelSpec detector,
            List<ModelSpec> embedders,
            ModelOptions base,
            int batch,
            int rounds)
            throws Exception {
        List<Row> rows = new ArrayList<>();
        List<Mat> crops = new ArrayList<>();
        try (FaceDetector d = FaceDetectors.open(detector, base, DetectorOptions.DEFAULT)) {
            FaceAligner aligner = new FaceAligner(112);
            for (Mat m : frames) {
                for (Face f : d.detect(m)) {
                    try (AlignedFace a = aligner.align(m, f)) {
                        crops.add(a.crop().clone());
                    }
                }
            }
        }
        List<Variant> dv = new ArrayList<>();
        for (var e : variants(detector, base).entrySet()) {
            FaceDetector d = FaceDetectors.open(detector, e.getValue(), DetectorOptions.DEFAULT);
            dv.add(new Variant(e.getKey(), () -> frames.forEach(d::detect), d));
        }
        if (detector.derivedFrom() != null) {
            // The file the default detector is derived from, fed as it was before the rewrite
            // (RetinaFace: the 640x640 letterbox instead of the frame-shaped fit-pad32 input).
            ModelSpec upstream = ModelManifest.bundled().get(detector.derivedFrom());
            FaceDetector d = FaceDetectors.open(upstream, base, DetectorOptions.DEFAULT);
            Letterbox lb =
                    Letterbox.plan(frames.get(0).cols(), frames.get(0).rows(), upstream.input());
            dv.add(
                    new Variant(
                            String.format(
                                    Locale.ROOT,
                                    "upstream %s, %s %dx%d input",
                                    upstream.id(),
                                    upstream.input().resize(),
                                    lb.inputWidth(),
                                    lb.inputHeight()),
                            () -> frames.forEach(d::detect),
                            d));
        }
        addOpenCvPool(dv);
        FloatBuffer in = TensorPacker.allocate(1, 640, 640);
        dv.add(
                new Variant(
                        "pre-processing only (letterbox + pack)",
                        () -> {
                            for (Mat m : frames) {
                                Letterbox lb = Letterbox.plan(m.cols(), m.rows(), detector.input());
                                in.clear();
                                try (Mat fitted = lb.apply(m)) {
                                    TensorPacker.pack(fitted, detector.input(), in);
                                }
                            }
                        },
                        null));
        rows.addAll(measure(detector.id() + " (per frame)", dv, frames.size(), rounds));
        for (ModelSpec spec : embedders) {
            List<Variant> ev = new ArrayList<>();
            for (var e : variants(spec, base).entrySet()) {
                FaceEmbedder emb = FaceEmbedder.open(spec, e.getValue(), batch);
                ev.add(new Variant(e.getKey(), () -> emb.embed(crops), emb));
            }
            FaceEmbedder one = FaceEmbedder.open(spec, base, 1);
            ev.add(new Variant("batch 1 instead of " + batch, () -> one.embed(crops), one));
            addOpenCvPool(ev);
            FloatBuffer buf = TensorPacker.allocate(1, 112, 112);
            ev.add(
                    new Variant(
                            "pre-processing only (pack)",
                            () -> {
                                for (Mat c : crops) {
                                    buf.clear();
                                    TensorPacker.pack(c, spec.input(), buf);
                                }
                            },
                            null));
            rows.addAll(measure(spec.id() + " (per face)", ev, crops.size(), rounds));
        }
        crops.forEach(Mat::close);
        return rows;
    }

    /** Baseline first; then one setting changed at a time. */
    private static java.util.LinkedHashMap<String, ModelOptions> variants(
            ModelSpec spec, ModelOptions base) {
        var v = new java.util.LinkedHashMap<String, ModelOptions>();
        OrtTuning t = base.tuning();
        String level = t.levelFor(spec);
        v.put("product default (" + level + ", " + base.intraOpThreads() + " thread)", base);
        for (String l : List.of("all", "extended", "basic")) {
            if (!l.equals(level)) {
                v.put("optimization " + l, base.withTuning(t.withOptimization(spec.id(), l)));
            }
        }
        v.put("cpu arena off", base.withTuning(t.withCpuArena(false)));
        v.put("memory pattern off", base.withTuning(t.withMemoryPattern(false)));
        v.put(
                "2 intra-op threads, spinning off",
                base.withThreads(2).withTuning(t.withSpinning(false)));
        v.put(
                "2 intra-op threads, spinning on",
                base.withThreads(2).withTuning(t.withSpinning(true)));
        return v;
    }

    /** The baseline again with OpenCV's own thread pool on (the product turns it off). */
    private static void addOpenCvPool(List<Variant> vs) {
        Runnable baseline = vs.get(0).pass();
        vs.add(
                new Variant(
                        "OpenCV thread pool on (product: off)",
                        () -> {
                            opencv_core.setNumThreads(-1); // OpenCV's default: all cores
                            try {
                                baseline.run();
                            } finally {
                                opencv_core.setNumThreads(1);
                            }
                        },
                        null));
    }

    private static List<Row> measure(String model, List<Variant> vs, int units, int rounds)
            throws Exception {
        try {
            for (Variant v : vs) {
                v.pass().run(); // warm-up: sessions allocate and pick kernels on first runs
            }
            var threads = java.lang.management.ManagementFactory.getThreadMXBean();
            double[][] cpu = new double[vs.size()][rounds];
            double[][] caller = new double[vs.size()][rounds];
            double[][] wall = new double[vs.size()][rounds];
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < vs.size(); i++) {
                    long c0 = Rate.cpuNanos();
                    long k0 = threads.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime();
                    vs.get(i).pass().run();
                    caller[i][r] = (threads.getCurrentThreadCpuTime() - k0) / 1e6 / units;
                    wall[i][r] = (System.nanoTime() - t0) / 1e6 / units;
                    cpu[i][r] = (Rate.cpuNanos() - c0) / 1e6 / units;
                }
                System.err.printf(Locale.ROOT, "sweep %s: round %d of %d%n", model, r + 1, rounds);
            }
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < vs.size(); i++) {
                double[] ratio = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    ratio[r] = cpu[i][r] / cpu[0][r];
                }
                rows.add(new Row(model, vs.get(i).setting(), cpu[i], caller[i], wall[i], ratio));
            }
            return rows;
        } finally {
            for (Variant v : vs) {
                if (v.resource() != null) {
                    v.resource().close();
                }
            }
        }
    }

    /** The table: median CPU ms per unit, median (min–max) ratio to the default, median wall. */
    public static String markdown(List<Row> rows) {
        StringBuilder sb =
                new StringBuilder(
                        "| model (unit) | setting | CPU ms | CPU ÷ default, median (min–max) |"
                                + " calling thread CPU ms | wall ms |\n|---|---|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            double[] q = r.ratio().clone();
            java.util.Arrays.sort(q);
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %s | %.2f | %.2f (%.2f–%.2f) | %.2f | %.2f |%n",
                            r.model(),
                            r.setting(),
                            median(r.cpuMs()),
                            median(r.ratio()),
                            q[0],
                            q[q.length - 1],
                            median(r.callerCpuMs()),
                            median(r.wallMs())));
        }
        return sb.toString();
    }

    static double median(double[] a) {
        double[] s = a.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** Decodes the first {@code n} frames of the bench input. */
    public static List<Mat> frames(BenchInput in, int n) {
        ImageDecoder decoder = new ImageDecoder();
        List<Mat> out = new ArrayList<>();
        for (int i = 0; i < Math.min(n, in.frames()); i++) {
            out.add(decoder.decode(in.jpegs().get(i), in.name()));
        }
        return out;
    }
}
