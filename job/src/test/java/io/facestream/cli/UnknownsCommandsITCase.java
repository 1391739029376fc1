package io.facestream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.facestream.analyze.AnalyzedFace;
import io.facestream.analyze.FaceAnalyzer;
import io.facestream.detect.DetectorOptions;
import io.facestream.gallery.RedisTls;
import io.facestream.gallery.Sighting;
import io.facestream.gallery.UnknownOptions;
import io.facestream.gallery.UnknownRegistry;
import io.facestream.model.ModelOptions;
import io.facestream.testing.Cli;
import io.facestream.testing.LocalRedis;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import org.junit.jupiter.api.Test;

/**
 * {@code gallery unknowns|promote|forget} on a real Redis 8 holding pseudonyms made from real
 * embeddings: listing, promoting Obama's pseudonym so that {@code identify} names him, forgetting.
 */
class UnknownsCommandsITCase {
    static final Path DATA =
            Path.of(System.getProperty("facestream.project.root", ".."))
                    .resolve("../shared/data/people/gallery")
                    .normalize();

    @Test
    void listsPromotesAndForgetsPseudonyms() {
        try (LocalRedis redis = LocalRedis.start();
                FaceAnalyzer a =
                        FaceAnalyzer.open(
                                null, null, ModelOptions.DEFAULT, DetectorOptions.DEFAULT, 8);
                UnknownRegistry r =
                        UnknownRegistry.open(
                                redis.url(),
                                RedisTls.JVM_DEFAULT,
                                "cams",
                                new UnknownOptions(0.4f, Duration.ofDays(1), 5))) {
            String model = a.embedder().spec().id();
            long now = System.currentTimeMillis();
            String obama =
                    r.assign(
                            new Sighting(
                                    "cam-a", 1, 1000, 2000, model, face(a, "obama/obama_a.jpg")),
                            now);
            r.assign(
                    new Sighting("cam-b", 1, 5000, 9000, model, face(a, "obama/obama_b.jpg")), now);
            String biden =
                    r.assign(
                            new Sighting(
                                    "cam-a", 2, 3000, 4000, model, face(a, "biden/biden_a.jpg")),
                            now);
            String[] where = {"--redis", redis.url(), "-g", "cams"};

            Cli list = Cli.run(args(where, "gallery", "unknowns"));
            assertThat(list.rc()).as(list.err()).isZero();
            assertThat(list.out())
                    .contains(obama, biden, "cam-a:1,cam-b:1", "2 unknown pseudonyms");

            Cli promote =
                    Cli.run(args(where, "gallery", "promote", obama, "--name", "Barack Obama"));
            assertThat(promote.rc()).as(promote.err()).isZero();
            assertThat(promote.out()).contains("enrolled as Barack Obama", "(2 entries)");
            Cli identify =
                    Cli.run(args(where, "identify", DATA.resolve("obama/obama_c.jpg").toString()));
            assertThat(identify.rc()).as(identify.err()).isZero();
            assertThat(identify.out()).contains("Barack Obama");

            Cli forget = Cli.run(args(where, "gallery", "forget", biden));
            assertThat(forget.rc()).as(forget.err()).isZero();
            assertThat(forget.out()).contains(biden + ": forgotten");
            Cli again = Cli.run(args(where, "gallery", "forget", biden));
            assertThat(again.rc()).isEqualTo(1);
            assertThat(again.out()).contains("no such pseudonym");
            assertThat(Cli.run(args(where, "gallery", "forget")).rc()).isEqualTo(2);

            Cli empty = Cli.run(args(where, "gallery", "unknowns", "--expire"));
            assertThat(empty.out()).contains("0 expired", "0 unknown pseudonyms");
        }
    }

    private static float[] face(FaceAnalyzer a, String photo) {
        return a.analyze(DATA.resolve(photo)).stream()
                .max(Comparator.comparingDouble((AnalyzedFace f) -> f.face().x2() - f.face().x1()))
                .orElseThrow()
                .embedding();
    }

    private static String[] args(String[] where, String... command) {
        String[] out = new String[command.length + where.length];
        System.arraycopy(command, 0, out, 0, command.length);
        System.arraycopy(where, 0, out, command.length, where.length);
        return out;
    }
}
