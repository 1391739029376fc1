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
import java.util.concurrent.CyclicBarrier;
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

    public static Rate run(
            BenchInput in,
            ModelSpec detector,
            ModelSpec embedder,
            ModelOptions models,
            int threads,
            int batch)
            throws Exception {
        ImageDecoder decoder = new ImageDecoder();
        List<Mat> frames = new ArrayList<>();
        for (byte[] jpeg : in.jpegs()) {
            frames.add(decoder.decode(jpeg, in.name()));
        }
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
                                                    frames, id, threads, detector, embedder, models,
                                                    batch, start, end);
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
        long t0 = System.nanoTime();
        long c0 = Rate.cpuNanos();
        end.await();
        double s = (System.nanoTime() - t0) / 1e9;
        double cores = (Rate.cpuNanos() - c0) / 1e9 / s;
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
        return new Rate(in.frames(), total, s, cores);
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
            CyclicBarrier end)
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
                    try (AlignedFace a = aligner.align(img, f)) {
                        c.add(a.crop().clone());
                    }
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
