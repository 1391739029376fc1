package io.facestream.cli;

import io.facestream.analyze.FaceAnalyzer;
import io.facestream.enroll.IdentityNaming;
import io.facestream.eval.EvalImages;
import io.facestream.eval.EvalReport;
import io.facestream.eval.EvalReports;
import io.facestream.eval.GalleryEval;
import io.facestream.eval.PairsEval;
import io.facestream.eval.SplitEval;
import io.facestream.evalreport.EvalHtml;
import io.facestream.gallery.FaceGallery;
import io.facestream.gallery.MatchDecision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code facestream eval INPUT...}: measures accuracy on labelled photos. The photos (folders laid
 * out as {@code enroll} accepts, files labelled by name, {@code @LIST} files as {@link Inputs}
 * reads them) are split into a gallery, enrolled into a scratch gallery that is dropped afterwards,
 * and probes, including people held out entirely as strangers; every probe is decided as {@code
 * identify} decides it. With {@code --against-gallery} the photos are probed against an existing
 * gallery instead; with {@code --pairs FILE} verification pairs are scored (no Redis). Writes the
 * JSON report ({@link EvalReport}) and prints a summary. Exit code 0 when the run completed, even
 * if some images failed (they are counted in the report).
 */
@Command(
        name = "eval",
        description =
                "Measure accuracy on labelled photos: ROC, TAR@FAR, EER, open-set rates and a"
                        + " recommended threshold.")
final class EvalCommand implements Callable<Integer> {
    @Mixin ModelOptionsMixin models = new ModelOptionsMixin();
    @Mixin RedisMixin redis = new RedisMixin();

    @Parameters(
            arity = "0..*",
            paramLabel = "INPUT",
            description =
                    "Labelled photos: folders (folder per person, or Name_N.jpg files), image files"
                            + " (labelled by name, or by their folder with --layout folders) or"
                            + " @LIST (one path a line, relative to LIST's folder; # comments).")
    List<Path> inputs = new ArrayList<>();

    @Option(
            names = "--against-gallery",
            description =
                    "Probe FOLDER against the existing gallery named by --gallery instead of"
                            + " splitting it; probe people not in it are the strangers.")
    boolean againstGallery;

    @Option(
            names = "--pairs",
            paramLabel = "FILE",
            description =
                    "Verification pairs instead of FOLDER: 'IMAGE_A IMAGE_B same|different' per"
                            + " line, or LFW's pairs.txt.")
    Path pairs;

    @Option(
            names = "--images",
            paramLabel = "DIR",
            description = "Where --pairs paths are relative to (default: the pairs file's folder).")
    Path imageRoot;

    @Option(
            names = "--layout",
            defaultValue = "auto",
            description = "folders, names or auto, as for enroll (default: ${DEFAULT-VALUE}).")
    String layout;

    @Option(
            names = "--enrol",
            defaultValue = "2",
            paramLabel = "N",
            description =
                    "Photos enrolled per person; the rest are probes (default: ${DEFAULT-VALUE}).")
    int enrol;

    @Option(
            names = "--strangers",
            defaultValue = "-1",
            paramLabel = "N",
            description =
                    "People held out entirely, drawn at random (default: a fifth, at least one).")
    int strangerCount;

    @Option(
            names = "--stranger",
            paramLabel = "NAME",
            description = "Hold out this person (repeatable; overrides --strangers).")
    List<String> strangers = new ArrayList<>();

    @Option(
            names = "--seed",
            defaultValue = "1",
            description = "Seed of the random split (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--min-similarity",
            paramLabel = "COS",
            description = "Current threshold (default: the embedder's, from the manifest).")
    Float minSimilarity;

    @Option(
            names = "--min-identity-margin",
            defaultValue = "0",
            paramLabel = "COS",
            description =
                    "Margin rule: the decided identity must beat the runner-up identity by this"
                            + " much, else UNKNOWN (default: ${DEFAULT-VALUE}, off).")
    float minIdentityMargin;

    @Option(
            names = "--top-k",
            defaultValue = "5",
            description =
                    "Identities (template) or entries (top-k) considered per probe (default:"
                            + " ${DEFAULT-VALUE}).")
    int topK;

    @Option(
            names = "--decision",
            defaultValue = "template",
            paramLabel = "template|top-k",
            converter = IdentifyCommand.DecisionConverter.class,
            description =
                    "Compare each probe with every identity's template, or with the top-k entries,"
                            + " as identify and the job would (default: ${DEFAULT-VALUE}).")
    MatchDecision decision;

    @Option(
            names = "--target-far",
            defaultValue = "0.01",
            paramLabel = "RATE",
            description =
                    "False-accept rate to recommend a threshold for (default: ${DEFAULT-VALUE}).")
    double targetFar;

    @Option(
            names = "--largest-face",
            description =
                    "Use the largest face of photos with several (default: count them failed).")
    boolean largestFace;

    @Option(
            names = "--json",
            paramLabel = "FILE",
            defaultValue = "out/eval/eval.json",
            description = "Where the JSON report goes (default: ${DEFAULT-VALUE}).")
    Path json;

    @Option(
            names = "--html",
            paramLabel = "FILE",
            defaultValue = "out/eval/report.html",
            description = "Where the HTML report with plots goes (default: ${DEFAULT-VALUE}).")
    Path html;

    @Override
    public Integer call() throws IOException {
        if (!(targetFar > 0 && targetFar < 1)) {
            throw new IllegalArgumentException("--target-far must be in (0, 1), was " + targetFar);
        }
        if ((pairs == null) == inputs.isEmpty()) {
            throw new IllegalArgumentException("give either INPUT... or --pairs FILE");
        }
        try (FaceAnalyzer analyzer = models.openAnalyzer()) {
            double threshold =
                    minSimilarity != null
                            ? minSimilarity
                            : analyzer.embedder().spec().threshold("minSimilarity", 0.4);
            String detector = analyzer.detector().spec().id();
            String embedder = analyzer.embedder().spec().id();
            EvalImages images = new EvalImages(analyzer, largestFace);
            EvalReport report;
            if (pairs != null) {
                Path root = imageRoot != null ? imageRoot : pairs.toAbsolutePath().getParent();
                ProgressBar bar = new ProgressBar(System.err, "pairs " + pairs.getFileName());
                report =
                        PairsEval.run(
                                images,
                                pairs,
                                root,
                                threshold,
                                targetFar,
                                detector,
                                embedder,
                                bar::update);
            } else {
                embed(images);
                if (images.samples().isEmpty()) {
                    EvalConsole.failures(images.failures());
                    throw new IllegalArgumentException("no usable labelled photo in " + inputs);
                }
                report =
                        againstGallery
                                ? againstGallery(analyzer, images, threshold, detector, embedder)
                                : split(analyzer, images, threshold, detector, embedder);
            }
            EvalReports.write(report, json);
            EvalConsole.print(report);
            System.out.println("report in " + json);
            if (html != null) {
                System.setProperty("java.awt.headless", "true");
                EvalHtml.write(report, images.samples(), html);
                System.out.println("HTML report in " + html);
            }
            return 0;
        }
    }

    /** Folders as enrolment reads them; listed and named files in one batch, one progress bar. */
    private void embed(EvalImages images) {
        IdentityNaming naming = IdentityNaming.valueOf(layout.toUpperCase(Locale.ROOT));
        List<Path> files = new ArrayList<>();
        for (Path p : Inputs.expandLists(inputs)) {
            if (Files.isDirectory(p)) {
                ProgressBar bar = new ProgressBar(System.err, "embed " + p.getFileName());
                images.addFolder(p, naming, bar::update);
            } else {
                files.add(p);
            }
        }
        if (!files.isEmpty()) {
            ProgressBar bar = new ProgressBar(System.err, "embed " + files.size() + " file(s)");
            images.addFiles(files, naming, bar::update);
        }
    }

    /** The inputs as given (an @LIST stays one name, however many paths it holds). */
    private List<String> inputNames() {
        return inputs.stream().map(Path::toString).toList();
    }

    private EvalReport split(
            FaceAnalyzer analyzer,
            EvalImages images,
            double threshold,
            String detector,
            String embedder) {
        // A scratch gallery: eval must neither read nor disturb the user's enrolled people.
        redis.gallery = "eval-" + UUID.randomUUID().toString().substring(0, 8);
        try (FaceGallery gallery = redis.open()) {
            try {
                return SplitEval.run(
                        images,
                        gallery,
                        analyzer.embedder().spec().vectorSpace(),
                        new SplitEval.Options(
                                enrol,
                                strangers,
                                strangerCount,
                                seed,
                                topK,
                                threshold,
                                targetFar,
                                minIdentityMargin,
                                decision),
                        inputNames(),
                        detector,
                        embedder);
            } finally {
                gallery.drop();
            }
        }
    }

    private EvalReport againstGallery(
            FaceAnalyzer analyzer,
            EvalImages images,
            double threshold,
            String detector,
            String embedder) {
        try (FaceGallery gallery = redis.open()) {
            if (!gallery.exists()) {
                throw new IllegalArgumentException(
                        "gallery '" + gallery.name() + "' does not exist: enrol into it first");
            }
            return GalleryEval.run(
                    images,
                    gallery,
                    analyzer.embedder().spec().vectorSpace(),
                    topK,
                    threshold,
                    targetFar,
                    minIdentityMargin,
                    decision,
                    inputNames(),
                    detector,
                    embedder);
        }
    }
}
