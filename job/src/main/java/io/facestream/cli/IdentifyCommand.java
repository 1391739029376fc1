package io.facestream.cli;

import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.facestream.analyze.FaceAnalyzer;
import io.facestream.annotate.FaceAnnotator;
import io.facestream.gallery.FaceGallery;
import io.facestream.gallery.IdentityDecider;
import io.facestream.gallery.MatchDecision;
import io.facestream.identify.FaceIdentities;
import io.facestream.identify.IdentifiedFace;
import io.facestream.identify.Identifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bytedeco.opencv.opencv_core.Mat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code facestream identify IMAGE_OR_FOLDER...}: names every face against a gallery, in one JVM
 * with the models loaded once; prints a table, and only when asked writes annotated copies ({@code
 * --out}) and a JSON file with one object per image holding its faces as {@code FaceIdentity}
 * fields ({@code --json}).
 */
@Command(name = "identify", description = "Identify the faces in images against a gallery.")
final class IdentifyCommand implements Callable<Integer> {
    @Mixin ModelOptionsMixin models = new ModelOptionsMixin();
    @Mixin RedisMixin redis = new RedisMixin();

    // No default: annotated copies show faces and names, so they are written only where asked.
    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "Write annotated copies here (default: none are written).")
    Path out;

    @Option(
            names = "--json",
            paramLabel = "FILE",
            description = "Write the results as JSON: one object per image.")
    Path json;

    @Option(
            names = "--min-similarity",
            paramLabel = "COS",
            description =
                    "Cosine in [-1,1] a match must reach (default: the embedder's, from the manifest).")
    Float minSimilarity;

    @Option(
            names = "--margin",
            defaultValue = "0.1",
            description =
                    "Two faces of one image may share an identity only if both clear the threshold"
                            + " by this margin (default: ${DEFAULT-VALUE}).")
    float margin;

    @Option(
            names = "--min-identity-margin",
            defaultValue = "0",
            paramLabel = "COS",
            description =
                    "Margin rule: the decided identity must beat the runner-up identity by this"
                            + " much, else UNKNOWN (default: ${DEFAULT-VALUE}, off; the job's"
                            + " match.min-identity-margin).")
    float minIdentityMargin;

    @Option(
            names = "--top-k",
            defaultValue = "5",
            description =
                    "Identities (template) or entries (top-k) considered per face (default:"
                            + " ${DEFAULT-VALUE}).")
    int topK;

    @Option(
            names = "--decision",
            defaultValue = "template",
            paramLabel = "template|top-k",
            converter = DecisionConverter.class,
            description =
                    "Compare each face with every identity's template, or with the top-k entries"
                            + " (default: ${DEFAULT-VALUE}; the job's match.decision).")
    MatchDecision decision;

    /** Parses {@code --decision} the way the job parses {@code match.decision}. */
    static final class DecisionConverter
            implements picocli.CommandLine.ITypeConverter<MatchDecision> {
        @Override
        public MatchDecision convert(String value) {
            return MatchDecision.fromConfig(value);
        }
    }

    @Parameters(
            arity = "1..*",
            paramLabel = "IMAGE",
            description =
                    "Images, folders (every file under them) or @LIST (one path a line, relative"
                            + " to LIST's folder; blank lines and # comments ignored).")
    List<Path> inputs;

    @Override
    public Integer call() throws IOException {
        try (FaceAnalyzer analyzer = models.openAnalyzer();
                FaceGallery gallery = redis.open()) {
            float threshold =
                    minSimilarity != null
                            ? minSimilarity
                            : (float) analyzer.embedder().spec().threshold("minSimilarity", 0.4);
            return run(
                    analyzer,
                    gallery,
                    new IdentityDecider(threshold, margin, minIdentityMargin),
                    topK,
                    decision,
                    Inputs.expand(inputs),
                    out,
                    json);
        }
    }

    static int run(
            FaceAnalyzer analyzer,
            FaceGallery gallery,
            IdentityDecider decider,
            int topK,
            MatchDecision decision,
            List<Path> files,
            Path out,
            Path json)
            throws IOException {
        if (out != null) {
            Files.createDirectories(out);
        }
        Identifier identifier = new Identifier(analyzer, gallery, decider, topK, decision);
        List<Object> results = new ArrayList<>();
        int failed = 0;
        System.out.printf(
                "%-28s %4s  %-24s %10s  %s%n", "IMAGE", "FACE", "IDENTITY", "SIMILARITY", "BOX");
        for (Path file : files) {
            try (Mat img = analyzer.decoder().decode(file)) {
                List<IdentifiedFace> faces = identifier.identify(img);
                List<Object> records = new ArrayList<>();
                for (IdentifiedFace f : faces) {
                    var face = f.face().face();
                    System.out.printf(
                            Locale.ROOT,
                            "%-28s %4d  %-24s %10.3f  (%.0f,%.0f,%.0f,%.0f)%n",
                            file.getFileName(),
                            f.face().index(),
                            // names may hold control characters: never raw to the terminal
                            GalleryCommand.shown(f.label()),
                            f.decision().similarity(),
                            face.x1(),
                            face.y1(),
                            face.x2(),
                            face.y2());
                    FaceAnnotator.draw(
                            img,
                            face,
                            String.format(
                                    Locale.ROOT, "%s %.2f", f.label(), f.decision().similarity()),
                            f.decision().matched() ? FaceAnnotator.KNOWN : FaceAnnotator.UNKNOWN);
                    records.add(
                            FaceIdentities.toPlain(
                                    FaceIdentities.toRecord(
                                            f,
                                            faces.size(),
                                            "file",
                                            0,
                                            Files.getLastModifiedTime(file).toMillis(),
                                            gallery.name(),
                                            analyzer.detector().spec().id(),
                                            analyzer.embedder().spec().id(),
                                            System.currentTimeMillis())));
                }
                if (faces.isEmpty()) {
                    System.out.printf("%-28s %4s  %s%n", file.getFileName(), "-", "(no face)");
                }
                Map<String, Object> image = new LinkedHashMap<>();
                image.put("source", file.toString());
                image.put("width", img.cols());
                image.put("height", img.rows());
                if (out != null) {
                    Path target = out.resolve(Inputs.outputName(file, "jpg"));
                    if (!imwrite(target.toString(), img)) {
                        throw new IOException("cannot write " + target);
                    }
                    image.put("annotated", target.toString());
                }
                image.put("faces", records);
                results.add(image);
            } catch (RuntimeException e) {
                failed++;
                System.err.printf("%s: skipped: %s%n", file, e.getMessage());
                Map<String, Object> image = new LinkedHashMap<>();
                image.put("source", file.toString());
                image.put("error", e.getMessage());
                results.add(image);
            }
        }
        if (json != null) {
            if (json.toAbsolutePath().getParent() != null) {
                Files.createDirectories(json.toAbsolutePath().getParent());
            }
            new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValue(json.toFile(), results);
            System.out.println("results in " + json);
        }
        System.out.println(
                (out == null
                                ? "no annotated images written (use --out DIR)"
                                : "annotated images in " + out)
                        + (failed > 0 ? "; " + failed + " input(s) failed" : ""));
        return failed > 0 ? 2 : 0;
    }
}
