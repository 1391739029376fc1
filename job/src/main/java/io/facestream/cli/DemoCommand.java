package io.facestream.cli;

import io.facestream.analyze.FaceAnalyzer;
import io.facestream.enroll.IdentityNaming;
import io.facestream.gallery.FaceGallery;
import io.facestream.gallery.IdentityDecider;
import io.facestream.model.ModelResolver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code facestream demo}: the seed demo in one go — enrol the Friends gallery, identify the
 * Friends scenes, write annotated images and JSON under {@code out/}, print the table.
 */
@Command(
        name = "demo",
        description = "Enrol ../shared/data/friends/gallery and identify friends/scenes/*.")
final class DemoCommand implements Callable<Integer> {
    @Mixin ModelOptionsMixin models = new ModelOptionsMixin();
    @Mixin RedisMixin redis = new RedisMixin();

    @Option(
            names = "--out",
            defaultValue = "out",
            description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--photos", description = "The seed's photo demo: Friends gallery and scenes.")
    boolean photos;

    @Option(
            names = "--parallelism",
            defaultValue = "1",
            description = "Job parallelism (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Override
    public Integer call() throws Exception {
        return photos ? photos() : video();
    }

    private Integer video() throws Exception {
        if ("faces".equals(redis.gallery)) {
            redis.gallery = "people-demo";
        }
        Path data =
                ModelResolver.projectRoot()
                        .orElse(Path.of("."))
                        .resolve("../shared/data")
                        .normalize();
        try (FaceAnalyzer analyzer = models.openAnalyzer();
                FaceGallery gallery = redis.open()) {
            EnrollCommand.run(
                    analyzer,
                    gallery,
                    List.of(data.resolve("people/gallery")),
                    IdentityNaming.AUTO,
                    false);
        }
        List<String> sets =
                new java.util.ArrayList<>(
                        List.of(
                                "source.uris=hamilton=" + data.resolve("video/hamilton_clip.mp4"),
                                "redis.url=" + redis.url,
                                "gallery.name=" + redis.gallery,
                                "output.dir=" + out.toAbsolutePath(),
                                "parallelism=" + parallelism,
                                "checkpoint.interval=5s"));
        sets.addAll(models.jobSettings());
        sets.addAll(redis.jobSettings());
        io.facestream.job.JobConfig cfg = io.facestream.job.JobConfig.load(null, sets);
        LocalJob.run(cfg);
        LocalJob.printSummary(out.resolve("identities.jsonl"));
        System.out.println("annotated video: " + out.resolve("annotated/hamilton.mp4"));
        return 0;
    }

    private Integer photos() throws Exception {
        if ("faces".equals(redis.gallery)) {
            redis.gallery = "friends-demo";
        }
        Path data =
                ModelResolver.projectRoot()
                        .orElse(Path.of("."))
                        .resolve("../shared/data")
                        .normalize();
        List<Path> scenes;
        try (Stream<Path> s = Files.list(data.resolve("friends/scenes"))) {
            scenes = s.sorted().toList();
        }
        try (FaceAnalyzer analyzer = models.openAnalyzer();
                FaceGallery gallery = redis.open()) {
            EnrollCommand.run(
                    analyzer,
                    gallery,
                    List.of(data.resolve("friends/gallery")),
                    IdentityNaming.AUTO,
                    false);
            float threshold = (float) analyzer.embedder().spec().threshold("minSimilarity", 0.4);
            return IdentifyCommand.run(
                    analyzer,
                    gallery,
                    new IdentityDecider(threshold, 0.1f),
                    5,
                    io.facestream.gallery.MatchDecision.DEFAULT,
                    scenes,
                    out.resolve("identify"),
                    out.resolve("identities.json"));
        }
    }
}
