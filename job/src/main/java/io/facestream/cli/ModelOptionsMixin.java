package io.facestream.cli;

import io.facestream.detect.DetectorOptions;
import io.facestream.model.ModelOptions;
import picocli.CommandLine.Option;

/** Options every command that runs models shares. */
public final class ModelOptionsMixin {
    @Option(
            names = "--detector",
            paramLabel = "ID",
            description = "Detector model id (default: the manifest's, retinaface_mnet025).")
    String detector;

    @Option(
            names = "--embedder",
            paramLabel = "ID",
            description = "Embedder model id (default: the manifest's, mbf512_faceplugin).")
    String embedder;

    @Option(
            names = "--models-dir",
            paramLabel = "DIR",
            description = "Directory searched first for model files (else $FACESTREAM_MODELS).")
    String modelsDir;

    @Option(
            names = "--threads",
            defaultValue = "1",
            description = "ONNX Runtime intra-op threads per model (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(
            names = "--min-score",
            paramLabel = "S",
            description =
                    "Minimum detection score in [0,1] (default: the model's, from the manifest).")
    Float minScore;

    @Option(
            names = "--pad",
            paramLabel = "FRACTION",
            defaultValue = "0",
            description =
                    "Black border added on each side before detection, as a fraction of the"
                            + " image size; 0.4 for tight head-shot crops (default: ${DEFAULT-VALUE}).")
    float pad;

    @Option(
            names = "--flip-tta",
            description =
                    "Embed each face and its mirror image and average them (twice the embedding"
                            + " cost; enrol and identify the same way). CLI commands only so far.")
    boolean flipTta;

    /** The job's {@code key=value} settings for the model options given on the command line. */
    java.util.List<String> jobSettings() {
        if (flipTta) {
            // Refused rather than ignored: a job without it would not embed as the gallery was.
            throw new IllegalArgumentException(
                    "--flip-tta is not supported by the streaming job yet; use it with enroll,"
                            + " identify and eval");
        }
        java.util.List<String> sets = new java.util.ArrayList<>();
        if (detector != null) {
            sets.add("detect.model=" + detector);
        }
        if (embedder != null) {
            sets.add("embed.model=" + embedder);
        }
        if (modelsDir != null) {
            sets.add("models.dir=" + modelsDir);
        }
        return sets;
    }

    ModelOptions modelOptions() {
        return new ModelOptions(modelsDir, threads, "cpu");
    }

    /** The analyzer these options describe (embedding batches of 8). */
    io.facestream.analyze.FaceAnalyzer openAnalyzer() {
        var analyzer =
                io.facestream.analyze.FaceAnalyzer.open(
                        detector, embedder, modelOptions(), detectorOptions(), 8);
        analyzer.embedder().flipTta(flipTta);
        return analyzer;
    }

    DetectorOptions detectorOptions() {
        return new DetectorOptions(minScore == null ? Float.NaN : minScore, Float.NaN, pad);
    }
}
