package io.facestream.cli;

import io.facestream.align.AlignedFace;
import io.facestream.align.FaceAligner;
import io.facestream.bench.BenchInput;
import io.facestream.bench.OrtSweep;
import io.facestream.decode.ImageDecoder;
import io.facestream.detect.DetectorOptions;
import io.facestream.detect.Face;
import io.facestream.detect.FaceDetector;
import io.facestream.detect.FaceDetectors;
import io.facestream.embed.FaceEmbedder;
import io.facestream.model.ModelManifest;
import io.facestream.model.ModelOptions;
import io.facestream.model.ModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bytedeco.opencv.opencv_core.Mat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Median milliseconds per vision stage on real photos: JPEG decode, each detector (pre- and
 * post-processing included), alignment per face, each embedder per face one at a time and in a
 * batch of 8.
 */
@Command(name = "stages", description = "Median ms per vision stage on the shared photos.")
final class StageBench implements Callable<Integer> {
    @Option(
            names = "--repeat",
            defaultValue = "5",
            description = "Timed passes over the photos (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(
            names = "--threads",
            defaultValue = "1",
            description = "ONNX Runtime intra-op threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(
            names = "--append",
            defaultValue = "docs/benchmarks.md",
            description = "Markdown file the table is appended to ('-' for none).")
    String append;

    @Option(
            names = "--sweep-ort",
            description =
                    "Instead of the stage table: each ONNX Runtime session setting against the"
                            + " product's defaults, A/B interleaved in one run, on the sample clip's"
                            + " frames and faces (CPU ms per frame or face, ratios).")
    boolean sweepOrt;

    @Option(
            names = "--sweep-detector-only",
            description =
                    "With --sweep-ort: only the default detector's rows (among them the upstream"
                            + " file it is derived from, fed as before), no embedders.")
    boolean detectorOnly;

    @Option(
            names = "--sweep-frames",
            defaultValue = "60",
            description = "Clip frames the sweep uses (default: ${DEFAULT-VALUE}).")
    int sweepFrames;

    @Parameters(
            arity = "0..*",
            paramLabel = "IMAGE",
            description = "Photos (default: the group photos in ../shared/data).")
    List<Path> inputs;

    @Override
    public Integer call() throws Exception {
        if (sweepOrt) {
            return sweep();
        }
        List<Path> photos =
                Inputs.expand(inputs == null || inputs.isEmpty() ? defaultPhotos() : inputs);
        ModelManifest manifest = ModelManifest.bundled();
        ModelOptions opts = ModelOptions.DEFAULT.withThreads(threads);
        ImageDecoder decoder = new ImageDecoder();
        List<byte[]> encoded = new ArrayList<>();
        for (Path p : photos) {
            encoded.add(Files.readAllBytes(p));
        }
        Map<String, List<Double>> times = new LinkedHashMap<>();
        time(
                times,
                "decode (per image)",
                () -> {
                    for (int i = 0; i < encoded.size(); i++) {
                        decoder.decode(encoded.get(i), photos.get(i).toString()).close();
                    }
                },
                encoded.size());

        List<Mat> images = new ArrayList<>();
        for (int i = 0; i < encoded.size(); i++) {
            images.add(decoder.decode(encoded.get(i), photos.get(i).toString()));
        }
        List<Mat> crops = new ArrayList<>();
        List<Face> faces = new ArrayList<>();
        for (ModelSpec spec : manifest.models()) {
            if (spec.kind() != ModelSpec.Kind.DETECTOR) {
                continue;
            }
            try (FaceDetector det = FaceDetectors.open(spec, opts, DetectorOptions.DEFAULT)) {
                time(
                        times,
                        "detect " + spec.id() + " (per image)",
                        () -> {
                            for (Mat m : images) {
                                det.detect(m);
                            }
                        },
                        images.size());
                if (spec.id().equals(manifest.defaultDetector().id())) {
                    FaceAligner aligner = new FaceAligner(112);
                    List<Mat> imageOfFace = new ArrayList<>();
                    for (Mat m : images) {
                        for (Face f : det.detect(m)) {
                            faces.add(f);
                            imageOfFace.add(m);
                        }
                    }
                    time(
                            times,
                            "align (per face)",
                            () -> {
                                for (int i = 0; i < faces.size(); i++) {
                                    aligner.align(imageOfFace.get(i), faces.get(i)).close();
                                }
                            },
                            faces.size());
                    for (int i = 0; i < faces.size(); i++) {
                        AlignedFace a = aligner.align(imageOfFace.get(i), faces.get(i));
                        crops.add(a.crop());
                    }
                }
            }
        }
        for (ModelSpec spec : manifest.models()) {
            if (spec.kind() != ModelSpec.Kind.EMBEDDER || !spec.dynamicBatch()) {
                continue;
            }
            try (FaceEmbedder emb = FaceEmbedder.open(spec, opts, 8)) {
                time(
                        times,
                        "embed " + spec.id() + " (per face, one at a time)",
                        () -> {
                            for (Mat c : crops) {
                                emb.embed(c);
                            }
                        },
                        crops.size());
                time(
                        times,
                        "embed " + spec.id() + " (per face, batch 8)",
                        () -> emb.embed(crops),
                        crops.size());
            }
        }
        images.forEach(Mat::close);
        crops.forEach(Mat::close);

        String table = table(times, photos.size(), faces.size());
        System.out.print(table);
        if (!"-".equals(append)) {
            Path md = Path.of(append);
            Files.createDirectories(md.toAbsolutePath().getParent());
            String section =
                    String.format(
                            Locale.ROOT,
                            "%n## Vision stages — %s%n%nMachine: %s. Command: `bin/facestream bench stages --repeat %d --threads %d`"
                                    + " on %d photos (%d faces found by the default detector).%n%n%s",
                            Instant.now().toString().substring(0, 16).replace('T', ' '),
                            Machine.describe(),
                            repeat,
                            threads,
                            photos.size(),
                            faces.size(),
                            table);
            Files.writeString(md, section, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            System.out.println("appended to " + md);
        }
        return 0;
    }

    private int sweep() throws Exception {
        io.facestream.flink.OpenCvThreads.single(); // as the job's operators do
        String commit = commit(); // now: the tree may change while the sweep runs
        ModelManifest manifest = ModelManifest.bundled();
        Path root = io.facestream.model.ModelResolver.projectRoot().orElse(Path.of("."));
        Path clip = root.resolve("../shared/data/video/hamilton_clip.mp4").normalize();
        BenchInput in = BenchInput.load(clip, sweepFrames, 90);
        List<Mat> frames = OrtSweep.frames(in, sweepFrames);
        ModelOptions base = ModelOptions.DEFAULT.withThreads(threads);
        List<ModelSpec> embedders =
                manifest.models().stream()
                        .filter(m -> m.kind() == ModelSpec.Kind.EMBEDDER && m.dynamicBatch())
                        .filter(m -> !detectorOnly)
                        .toList();
        List<OrtSweep.Row> rows =
                OrtSweep.run(frames, manifest.defaultDetector(), embedders, base, 8, repeat);
        frames.forEach(Mat::close);
        String table = OrtSweep.markdown(rows);
        System.out.print(table);
        if (!"-".equals(append)) {
            String section =
                    String.format(
                            Locale.ROOT,
                            "%n## ONNX Runtime session settings, A/B — %s%n%nMachine: %s, commit %s."
                                    + " Command: `bench stages --sweep-ort%s --repeat %d --threads %d"
                                    + " --sweep-frames %d`: the first %d frames of %s (%dx%d),"
                                    + " their faces aligned; %d interleaved rounds, one pass of"
                                    + " every variant per round. CPU ms = this JVM's CPU time per"
                                    + " frame or face (median of the rounds); the ratio is taken"
                                    + " per round against the product default.%n%n%s",
                            Instant.now().toString().substring(0, 16).replace('T', ' '),
                            Machine.describe(),
                            commit,
                            detectorOnly ? " --sweep-detector-only" : "",
                            repeat,
                            threads,
                            sweepFrames,
                            frames.size(),
                            in.name(),
                            in.width(),
                            in.height(),
                            repeat,
                            table);
            Files.writeString(
                    Path.of(append), section, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            System.out.println("appended to " + append);
        }
        return 0;
    }

    private static String commit() {
        try {
            Process pr = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").start();
            String c = new String(pr.getInputStream().readAllBytes()).strip();
            return pr.waitFor() == 0 && !c.isEmpty() ? c : "unknown";
        } catch (Exception e) {
            return "unknown";
        }
    }

    private void time(Map<String, List<Double>> times, String stage, Runnable pass, int units) {
        pass.run(); // warm-up: sessions allocate and optimise on first run
        List<Double> samples = new ArrayList<>();
        for (int r = 0; r < repeat; r++) {
            long t0 = System.nanoTime();
            pass.run();
            samples.add((System.nanoTime() - t0) / 1e6 / Math.max(1, units));
        }
        times.put(stage, samples);
    }

    private static String table(Map<String, List<Double>> times, int photos, int faces) {
        StringBuilder sb =
                new StringBuilder(
                        "| stage | median ms | min ms | max ms |\n|---|---:|---:|---:|\n");
        for (var e : times.entrySet()) {
            List<Double> s = new ArrayList<>(e.getValue());
            s.sort(Double::compare);
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %.2f | %.2f | %.2f |%n",
                            e.getKey(),
                            s.get(s.size() / 2),
                            s.get(0),
                            s.get(s.size() - 1)));
        }
        return sb.toString();
    }

    private static List<Path> defaultPhotos() {
        Path root = io.facestream.model.ModelResolver.projectRoot().orElse(Path.of("."));
        Path data = root.resolve("../shared/data").normalize();
        return List.of(
                data.resolve("friends/scenes"),
                data.resolve("people/scenes"),
                data.resolve("bbt/scenes"));
    }
}
