package io.facestream.cli;

import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;

import io.facestream.annotate.FaceAnnotator;
import io.facestream.decode.ImageDecoder;
import io.facestream.detect.Face;
import io.facestream.detect.FaceDetector;
import io.facestream.detect.FaceDetectors;
import io.facestream.model.ModelManifest;
import io.facestream.model.ModelSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bytedeco.opencv.opencv_core.Mat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code facestream detect IMAGE...}: prints every face found (box, score, landmarks) and writes an
 * annotated copy of each image. An unreadable input is reported and the rest still run; the exit
 * code is 2 when any input failed.
 */
@Command(
        name = "detect",
        description = "Detect faces and landmarks; with --out, write annotated copies.")
final class DetectCommand implements Callable<Integer> {
    @Mixin ModelOptionsMixin models = new ModelOptionsMixin();

    // No default: annotated copies show faces, so they are written only where asked (privacy).
    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "Write annotated copies here (default: none are written).")
    Path out;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image files or folders.")
    List<Path> inputs;

    @Override
    public Integer call() throws IOException {
        ModelManifest manifest = ModelManifest.bundled();
        ModelSpec spec =
                models.detector == null
                        ? manifest.defaultDetector()
                        : manifest.get(models.detector);
        if (!spec.commercialUse()) {
            System.err.println("note: " + spec.id() + " licence: " + spec.licence());
        }
        if (out != null) {
            Files.createDirectories(out);
        }
        ImageDecoder decoder = new ImageDecoder();
        int failed = 0;
        try (FaceDetector detector =
                FaceDetectors.open(spec, models.modelOptions(), models.detectorOptions())) {
            for (Path file : Inputs.expand(inputs)) {
                try (Mat img = decoder.decode(file)) {
                    List<Face> faces = detector.detect(img);
                    System.out.printf(
                            "%s: %d face(s) [%dx%d]%n", file, faces.size(), img.cols(), img.rows());
                    for (int i = 0; i < faces.size(); i++) {
                        Face f = faces.get(i);
                        System.out.printf(
                                Locale.ROOT,
                                "  #%d score=%.3f box=(%.0f,%.0f,%.0f,%.0f) eyes=(%.0f,%.0f)(%.0f,%.0f)"
                                        + " nose=(%.0f,%.0f) mouth=(%.0f,%.0f)(%.0f,%.0f)%n",
                                i,
                                f.score(),
                                f.x1(),
                                f.y1(),
                                f.x2(),
                                f.y2(),
                                f.lx(0),
                                f.ly(0),
                                f.lx(1),
                                f.ly(1),
                                f.lx(2),
                                f.ly(2),
                                f.lx(3),
                                f.ly(3),
                                f.lx(4),
                                f.ly(4));
                        FaceAnnotator.draw(
                                img,
                                f,
                                String.format(Locale.ROOT, "%.2f", f.score()),
                                FaceAnnotator.KNOWN);
                    }
                    if (out != null) {
                        Path target = out.resolve(Inputs.outputName(file, "jpg"));
                        if (!imwrite(target.toString(), img)) {
                            throw new IOException("cannot write " + target);
                        }
                    }
                } catch (RuntimeException e) {
                    failed++;
                    System.err.printf("%s: skipped: %s%n", file, e.getMessage());
                }
            }
        }
        System.out.printf(
                "%s%s%n",
                out == null
                        ? "no annotated images written (use --out DIR)"
                        : "annotated images in " + out,
                failed > 0 ? "; " + failed + " input(s) failed" : "");
        return failed > 0 ? 2 : 0;
    }
}
