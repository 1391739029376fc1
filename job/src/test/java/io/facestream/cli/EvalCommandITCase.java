package io.facestream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.facestream.replay.HeadlessChromium;
import io.facestream.testing.Cli;
import io.facestream.testing.LocalRedis;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code facestream eval} on the shared labelled sets and on bad input, against a real Redis 8. */
class EvalCommandITCase {
    static final Path DATA = DetectCommandITCase.DATA;
    static LocalRedis redis;

    @BeforeAll
    static void startRedis() {
        redis = LocalRedis.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Test
    void reportsEveryFieldOnTheFriendsSet(@TempDir Path tmp) throws Exception {
        JsonNode r = eval(tmp, DATA.resolve("friends/gallery"), "--enrol", "2", "--seed", "3");
        assertEveryField(r);
        assertThat(r.get("images").get("usable").asInt()).isEqualTo(20);
        assertThat(r.get("split").get("strangers")).hasSize(1);
        // 6 people: one held out, 5 x 2 enrolled, every other photo a probe
        assertThat(r.get("split").get("galleryEntries").asInt()).isEqualTo(10);
        JsonNode v = r.get("verification");
        assertThat(v.get("genuine").get("count").asInt() + v.get("impostor").get("count").asInt())
                .isEqualTo(10 * 10);
        // the shipped threshold on this easy set: everyone enrolled found, no stranger accepted
        JsonNode current = r.get("openSet").get("current");
        assertThat(current.get("threshold").asDouble()).isEqualTo(0.35); // the manifest's
        assertThat(current.get("rank1").asDouble()).isGreaterThanOrEqualTo(0.85);
        assertThat(current.get("strangerFalseAcceptRate").asDouble()).isZero();
        assertThat(v.get("genuine").get("mean").asDouble())
                .isGreaterThan(v.get("impostor").get("mean").asDouble() + 0.3);
        // every scoring with every margin, each probe decided at the current threshold
        JsonNode rules = r.get("decisionRules");
        assertThat(rules).hasSize(12);
        assertThat(rules.findValuesAsText("scoring"))
                .contains("BEST_ENTRY", "TOPK_MEAN", "TEMPLATE");
        for (JsonNode rule : rules) {
            assertThat(rule.get("atCurrent").get("enrolledProbes").asInt())
                    .isEqualTo(current.get("enrolledProbes").asInt());
            assertThat(rule.get("simulatedStrangers").asInt())
                    .isEqualTo(current.get("enrolledProbes").asInt());
            assertThat(rule.get("genuineMin").asDouble())
                    .isGreaterThan(rule.get("impostorMax").asDouble());
        }
    }

    @Test
    void reportsEveryFieldOnTheTvCastSet(@TempDir Path tmp) throws Exception {
        JsonNode r = eval(tmp, DATA.resolve("bbt/gallery"), "--pad", "0.4", "--enrol", "3");
        assertEveryField(r);
        assertThat(r.get("images").get("usable").asInt()).isEqualTo(40);
        assertThat(r.get("split").get("strangers")).hasSize(2);
        assertThat(r.get("split").get("galleryEntries").asInt()).isEqualTo(18);
        assertThat(r.get("split").get("strangerProbes").asInt()).isEqualTo(10);
        assertThat(r.get("openSet").get("closedSetRank1").asDouble()).isGreaterThan(0.9);
        // the recommendation meets its target on the pairs it was measured on
        JsonNode rec = r.get("recommendation");
        assertThat(rec.get("measuredFar").asDouble()).isLessThanOrEqualTo(0.01);
        assertThat(rec.get("farUpper95").asDouble())
                .isGreaterThanOrEqualTo(rec.get("measuredFar").asDouble());
    }

    @Test
    void htmlReportRendersItsPlotsInChromium(@TempDir Path tmp) throws Exception {
        Path html = tmp.resolve("report.html");
        eval(
                tmp,
                DATA.resolve("bbt/gallery"),
                "--pad",
                "0.4",
                "--enrol",
                "3",
                "--html",
                html.toString());
        // A missing browser fails the test: scripts/test.sh installs Debian's chromium.
        assertThat(HeadlessChromium.available()).as("chromium on PATH").isTrue();
        Path shots = Files.createDirectories(Path.of("target", "test-output", "eval"));
        Path shot = shots.resolve("report.png");
        HeadlessChromium.screenshot(html, shot);
        String dom = HeadlessChromium.dumpDom(html);
        Matcher charts =
                Pattern.compile(
                                "<img class=\"chart\" alt=\"([^\"]+)\" src=\"data:image/png;base64,([^\"]+)\"")
                        .matcher(dom);
        List<String> alts = new java.util.ArrayList<>();
        while (charts.find()) {
            alts.add(charts.group(1));
            BufferedImage png =
                    ImageIO.read(
                            new ByteArrayInputStream(Base64.getDecoder().decode(charts.group(2))));
            assertThat(png.getWidth()).isEqualTo(720);
            assertThat(distinctColours(png)).as(charts.group(1)).isGreaterThan(5);
        }
        assertThat(alts).containsExactly("score histograms", "ROC");
        // the closest strangers show as aligned-face thumbnails
        assertThat(dom).contains("Closest false accepts").contains("src=\"data:image/jpeg;base64,");
        BufferedImage screen = ImageIO.read(shot.toFile());
        assertThat(distinctColours(screen)).isGreaterThan(50);
    }

    private static int distinctColours(BufferedImage img) {
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                colours.add(img.getRGB(x, y));
            }
        }
        return colours.size();
    }

    @Test
    void countsBadInputApartAndGoesOn(@TempDir Path tmp) throws Exception {
        Path set = tmp.resolve("set");
        Path friends = DATA.resolve("friends/gallery");
        for (String person : List.of("Joey", "Monica", "Ross")) {
            Files.createDirectories(set.resolve(person));
            for (int i = 1; i <= 3; i++) {
                Path src = friends.resolve(person + "_" + i + ".jpg");
                if (Files.exists(src)) {
                    Files.copy(src, set.resolve(person).resolve(i + ".jpg"));
                }
            }
        }
        Files.createDirectories(set.resolve("Rachel"));
        Files.copy(friends.resolve("Rachel_1.jpg"), set.resolve("Rachel/only.jpg"));
        Files.createDirectories(set.resolve("Nobody"));
        Files.write(set.resolve("Joey/corrupt.jpg"), "not a jpeg at all".getBytes());
        Files.copy(DATA.resolve("edge/no_face_white.png"), set.resolve("Ross/white.png"));
        Files.copy(DATA.resolve("friends/scenes/Friends1.jpg"), set.resolve("Monica/group.jpg"));

        JsonNode r = eval(tmp, set, "--stranger", "Ross", "--enrol", "2");
        assertEveryField(r);
        JsonNode counts = r.get("failureCounts");
        assertThat(counts.get("DECODE_ERROR").asInt()).isEqualTo(1);
        assertThat(counts.get("NO_FACE").asInt()).isEqualTo(1);
        assertThat(counts.get("SEVERAL_FACES").asInt()).isEqualTo(1);
        assertThat(counts.get("EMPTY_FOLDER").asInt()).isEqualTo(1);
        assertThat(r.get("failures").findValuesAsText("file"))
                .anyMatch(f -> f.endsWith("corrupt.jpg"))
                .anyMatch(f -> f.endsWith("Nobody"));
        assertThat(r.get("images").get("failed").asInt()).isEqualTo(3);
        assertThat(r.get("notes").toString()).contains("Rachel: only 1 usable photo");
        assertThat(r.get("split").get("strangers").get(0).asText()).isEqualTo("Ross");
        assertThat(r.get("split").get("strangerProbes").asInt()).isEqualTo(3);
    }

    @Test
    void scoresAPairsFileAndSkipsPairsWithAMissingImage(@TempDir Path tmp) throws Exception {
        Path pairs = tmp.resolve("pairs.txt");
        Files.writeString(
                pairs,
                String.join(
                        "\n",
                        "# image_a image_b label",
                        "Amy_1.png Amy_2.png same",
                        "Raj_1.png Raj_3.png same",
                        "Amy_1.png Penny_1.png different",
                        "Raj_1.png Sheldon_2.png different",
                        "Raj_1.png missing.png different",
                        "this line is no pair"));
        JsonNode r =
                eval(
                        tmp,
                        null,
                        "--pad",
                        "0.4",
                        "--pairs",
                        pairs.toString(),
                        "--images",
                        DATA.resolve("bbt/gallery").toString());
        assertThat(r.get("mode").asText()).isEqualTo("pairs");
        assertThat(r.get("failureCounts").get("UNREADABLE").asInt()).isEqualTo(1);
        assertThat(r.get("notes").toString()).contains("line 6: skipped").contains("line 7");
        JsonNode v = r.get("verification");
        assertThat(v.get("genuine").get("count").asInt()).isEqualTo(2);
        assertThat(v.get("impostor").get("count").asInt()).isEqualTo(2);
        assertThat(v.get("genuine").get("min").asDouble())
                .isGreaterThan(v.get("impostor").get("max").asDouble());
        assertThat(r.get("openSet").isNull()).isTrue();
    }

    @Test
    void probesAnExistingGalleryWithUnknownPeopleAsStrangers(@TempDir Path tmp) throws Exception {
        Path enrol = tmp.resolve("enrol");
        Files.createDirectories(enrol);
        for (String f : List.of("Joey_1.jpg", "Ross_1.jpg", "Monica_1.jpg")) {
            Files.copy(DATA.resolve("friends/gallery").resolve(f), enrol.resolve(f));
        }
        assertThat(Cli.run("enroll", "--redis", redis.url(), "-g", "three", enrol.toString()).rc())
                .isZero();
        JsonNode r = eval(tmp, DATA.resolve("friends/gallery"), "-g", "three", "--against-gallery");
        assertEveryField(r);
        assertThat(r.get("mode").asText()).isEqualTo("gallery");
        assertThat(r.get("split").get("strangers").toString())
                .contains("Chandler", "Phoebe", "Rachel");
        assertThat(r.get("split").get("enrolledProbes").asInt()).isEqualTo(10);
        assertThat(r.get("verification").get("impostor").get("count").asInt())
                .isEqualTo(20 * 3 - 10);
    }

    @Test
    void takesPhotosFromAListFileAndReportsAMissingOne(@TempDir Path tmp) throws Exception {
        Path friends = DATA.resolve("friends/gallery").toAbsolutePath().normalize();
        List<String> lines = new java.util.ArrayList<>(List.of("# the Friends set", ""));
        try (var s = Files.list(friends)) {
            s.sorted().forEach(p -> lines.add(tmp.relativize(p).toString()));
        }
        lines.add("Gone_1.jpg");
        Path list = Files.write(tmp.resolve("photos.txt"), lines);

        JsonNode r = eval(tmp, null, "@" + list);

        assertEveryField(r);
        assertThat(r.get("images").get("usable").asInt()).isEqualTo(20);
        assertThat(r.get("failureCounts").get("UNREADABLE").asInt()).isEqualTo(1);
        assertThat(r.get("failures").get(0).get("file").asText()).endsWith("Gone_1.jpg");
        assertThat(r.get("inputs").get(0).asText()).isEqualTo("@" + list);
        assertThat(r.get("split").get("people").asInt()).isEqualTo(6);
    }

    @Test
    void refusesAFolderWithoutPhotos(@TempDir Path tmp) throws Exception {
        Files.createDirectories(tmp.resolve("empty"));
        Cli c = Cli.run("eval", "--redis", redis.url(), tmp.resolve("empty").toString());
        assertThat(c.rc()).isEqualTo(1);
        assertThat(c.err()).contains("no usable labelled photo");
    }

    private static JsonNode eval(Path tmp, Path set, String... more) throws Exception {
        Path json = tmp.resolve("eval.json");
        List<String> args =
                new java.util.ArrayList<>(
                        List.of("eval", "--redis", redis.url(), "--json", json.toString()));
        if (!List.of(more).contains("--html")) {
            args.addAll(List.of("--html", tmp.resolve("default.html").toString()));
        }
        args.addAll(List.of(more));
        if (set != null) {
            args.add(set.toString());
        }
        Cli c = Cli.run(args.toArray(String[]::new));
        System.out.println(c.out());
        assertThat(c.rc()).as(c.err()).isZero();
        assertThat(c.out()).contains("recommended threshold for FAR 0.01").contains("EER");
        assertThat(c.err()).containsPattern("(embed|pairs) .*\\]");
        // the scratch gallery is gone: eval leaves the user's Redis as it found it
        try (var jedis = new redis.clients.jedis.Jedis(redis.host(), redis.port())) {
            assertThat(jedis.keys("*eval-*")).isEmpty();
        }
        return new ObjectMapper().readTree(json.toFile());
    }

    static void assertEveryField(JsonNode r) {
        for (String f :
                List.of(
                        "formatVersion",
                        "mode",
                        "inputs",
                        "detector",
                        "embedder",
                        "settings",
                        "images",
                        "failureCounts",
                        "failures",
                        "notes",
                        "split",
                        "verification",
                        "openSet",
                        "recommendation",
                        "worstFalseRejects",
                        "closestFalseAccepts",
                        "decisionRules")) {
            assertThat(r.has(f)).as(f).isTrue();
        }
        JsonNode v = r.get("verification");
        for (String side : List.of("genuine", "impostor")) {
            for (String f : List.of("count", "min", "max", "mean", "sd", "p50", "histogram")) {
                assertThat(v.get(side).has(f)).as(side + "." + f).isTrue();
            }
            assertThat(v.get(side).get("histogram")).hasSize(40);
        }
        assertThat(v.get("roc")).isNotEmpty();
        assertThat(v.get("roc").get(0).has("far")).isTrue();
        assertThat(v.get("tarAtFar").findValuesAsText("far")).containsExactly("0.01", "0.001");
        assertThat(v.get("eer").has("value")).isTrue();
        assertThat(v.get("eer").has("threshold")).isTrue();
        JsonNode os = r.get("openSet");
        assertThat(os.has("closedSetRank1")).isTrue();
        for (String f :
                List.of(
                        "rank1",
                        "falseRejectRate",
                        "misidentificationRate",
                        "strangerFalseAcceptRate",
                        "threshold")) {
            assertThat(os.get("current").has(f)).as(f).isTrue();
        }
        assertThat(os.get("candidates").size()).isGreaterThanOrEqualTo(11);
        for (String f :
                List.of(
                        "targetFar",
                        "threshold",
                        "impostorPairs",
                        "falseAccepts",
                        "farUpper95",
                        "pairsNeeded",
                        "confident",
                        "confidentThreshold",
                        "tar",
                        "openSet")) {
            assertThat(r.get("recommendation").has(f)).as(f).isTrue();
        }
    }
}
