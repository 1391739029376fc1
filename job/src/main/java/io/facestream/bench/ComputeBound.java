package io.facestream.bench;

import io.facestream.align.AlignedFace;
import io.facestream.align.FaceAligner;
import io.facestream.decode.ImageDecoder;
import io.facestream.detect.DetectorOptions;
import io.facestream.detect.Face;
import io.facestream.detect.FaceDetector;
import io.facestream.detect.FaceDetectors;
import io.facestream.embed.FaceEmbedder;
import io.facestream.model.ModelOptions;
import io.facestream.model.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CyclicBarrier;
import java.util.stream.LongStream;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * The model-compute bound: only the models, in a tight loop. Frames are decoded and their faces
 * aligned before the clock starts; then {@code threads} workers (one detector and one embedder
 * each, with the job's ONNX Runtime thread count) detect every frame of their share and embed its
 * faces in batches of {@code batch}, as the job's embed stage does. No decode, copies, queues,
 * lookups or serialisation: what is left when everything the pipeline adds is gone.
 */
public final class ComputeBound {
    private ComputeBound() {}

    /**
     * A run's rate and, per thread kind ({@link ThreadCpu#kind}), the CPU ms per frame between the
     * workers' start and end (one reading each).
     */
    public record Detailed(Rate rate, Map<String, Double> threadCpu) {}

    /** Row of {@link Detailed#threadCpu}: JPEG decode per frame, done before the clock starts. */
    public static final String LEFT_OUT_DECODE = "left out of the bound: JPEG decode";

    /** Row of {@link Detailed#threadCpu}: alignment per frame, done before the clock starts. */
    public static final String LEFT_OUT_ALIGN = "left out of the bound: alignment (warpAffine)";

    private static long threadNanos() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    public static Rate run(
            BenchInput in,
            ModelSpec detector,
            ModelSpec embedder,
            ModelOptions models,
            int threads,
            int batch)
            throws Exception {
        return detailed(in, detector, embedder, models, threads, batch).rate();
    }

    /** {@link #run}, with the CPU of every thread of the process by kind. */
    public static Detailed detailed(
            BenchInput in,
            ModelSpec detector,
            ModelSpec embedder,
            ModelOptions models,
            int threads,
            int batch)
            throws Exception {
        ImageDecoder decoder = new ImageDecoder();
        List<Mat> frames = new ArrayList<>();
        long decodeNanos = -threadNanos();
        for (byte[] jpeg : in.jpegs()) {
            frames.add(decoder.decode(jpeg, in.name()));
        }
        decodeNanos += threadNanos();
        long[] alignNanos = new long[threads];
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        CyclicBarrier end = new CyclicBarrier(threads + 1);
        long[] faces = new long[threads];
        Throwable[] errors = new Throwable[threads];
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread w =
                    new Thread(
                            () -> {
                                try {
                                    faces[id] =
                                            worker(
                                                    frames,
                                                    id,
                                                    threads,
                                                    detector,
                                                    embedder,
                                                    models,
                                                    batch,
                                                    start,
                                                    end,
                                                    alignNanos);
                                } catch (Throwable e) {
                                    errors[id] = e;
                                    start.reset();
                                    end.reset();
                                }
                            },
                            "bound-" + t);
            w.start();
            workers.add(w);
        }
        start.await();
        ThreadCpu.Snapshot r0 = ThreadCpu.take();
        long t0 = System.nanoTime();
        long c0 = Rate.cpuNanos();
        end.await();
        double s = (System.nanoTime() - t0) / 1e9;
        double cores = (Rate.cpuNanos() - c0) / 1e9 / s;
        ThreadCpu.Snapshot r1 = ThreadCpu.take();
        for (Thread w : workers) {
            w.join();
        }
        frames.forEach(Mat::close);
        for (Throwable e : errors) {
            if (e != null) {
                throw new IllegalStateException("compute-bound worker failed: " + e, e);
            }
        }
        long total = 0;
        for (long f : faces) {
            total += f;
        }
        Map<String, Double> byKind = new TreeMap<>();
        ThreadCpu.between(r0, r1).forEach((k, ms) -> byKind.put(k, ms / in.frames()));
        // Work the job does per frame that the bound does before its clock starts.
        byKind.put(LEFT_OUT_DECODE, decodeNanos / 1e6 / in.frames());
        byKind.put(LEFT_OUT_ALIGN, LongStream.of(alignNanos).sum() / 1e6 / in.frames());
        return new Detailed(new Rate(in.frames(), total, s, cores), byKind);
    }

    private static long worker(
            List<Mat> frames,
            int id,
            int threads,
            ModelSpec detectorSpec,
            ModelSpec embedderSpec,
            ModelOptions models,
            int batch,
            CyclicBarrier start,
            CyclicBarrier end,
            long[] alignNanos)
            throws Exception {
        try (FaceDetector detector =
                        FaceDetectors.open(detectorSpec, models, DetectorOptions.DEFAULT);
                FaceEmbedder embedder = FaceEmbedder.open(embedderSpec, models, batch)) {
            FaceAligner aligner = new FaceAligner(embedder.inputSize());
            List<Mat> mine = new ArrayList<>();
            List<List<Mat>> crops = new ArrayList<>();
            for (int i = id; i < frames.size(); i += threads) {
                Mat img = frames.get(i);
                mine.add(img);
                List<Mat> c = new ArrayList<>();
                for (Face f : detector.detect(img)) {
                    long t0 = threadNanos();
                    try (AlignedFace a = aligner.align(img, f)) {
                        c.add(a.crop().clone());
                    }
                    alignNanos[id] += threadNanos() - t0;
                }
                crops.add(c);
            }
            // warm-up: ONNX Runtime's first runs allocate and pick kernels
            for (int i = 0; i < Math.min(3, mine.size()); i++) {
                detector.detect(mine.get(i));
                if (!crops.get(i).isEmpty()) {
                    embedder.embed(crops.get(i));
                }
            }
            start.await();
            long faces = 0;
            List<Mat> pending = new ArrayList<>(batch);
            for (int i = 0; i < mine.size(); i++) {
                detector.detect(mine.get(i));
                for (Mat c : crops.get(i)) {
                    pending.add(c);
                    faces++;
                    if (pending.size() == batch) {
                        embedder.embed(pending);
                        pending.clear();
                    }
                }
            }
            if (!pending.isEmpty()) {
                embedder.embed(pending);
            }
            end.await();
            crops.forEach(l -> l.forEach(Mat::close));
            return faces;
        }
    }
}
