package io.facestream.cli;

import io.facestream.align.AlignedFace;
import io.facestream.align.FaceAligner;
import io.facestream.decode.ImageDecoder;
import io.facestream.detect.DetectorOptions;
import io.facestream.detect.Face;
import io.facestream.detect.FaceDetector;
import io.facestream.detect.FaceDetectors;
import io.facestream.embed.FaceEmbedder;
import io.facestream.model.ModelManifest;
import io.facestream.model.ModelOptions;
import io.facestream.model.ModelSpec;
import java.io.IOException;
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

    @Parameters(
            arity = "0..*",
            paramLabel = "IMAGE",
            description = "Photos (default: the group photos in ../shared/data).")
    List<Path> inputs;

    @Override
    public Integer call() throws IOException {
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
