package io.facestream.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.facestream.cli.FacestreamCli;
import io.facestream.decode.ImageDecoder;
import io.facestream.job.JobConfig;
import io.facestream.job.JobTestSupportAccess;
import io.facestream.testing.LocalRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replay end to end on a MiniCluster in BATCH mode: the real video source, models and a Redis 8
 * gallery of {@code people/gallery}; the sample clip, the five-frame clip, and a folder holding a
 * truncated copy of the clip and a text file. Sampled at 10 fps to keep the test short.
 */
class ReplayITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = JobTestSupportAccess.miniCluster();

    static final Path ROOT = Path.of(System.getProperty("facestream.project.root", ".."));
    static final Path DATA = JobTestSupportAccess.CLIP.getParent().getParent();

    static LocalRedis redis;

    @BeforeAll
    static void enrol() {
        redis = LocalRedis.start();
        JobTestSupportAccess.enrolPeople(redis.url(), "people");
    }

    @AfterAll
    static void stop() {
        redis.close();
    }

    @Test
    void reportsWhoAppearsWhenAndListsBrokenAndSkippedFiles(@TempDir Path tmp) throws Exception {
        Path archive = Files.createDirectories(tmp.resolve("archive"));
        byte[] clip = Files.readAllBytes(DATA.resolve("video/hamilton_clip.mp4"));
        Files.write(archive.resolve("hamilton_cut.mp4"), Arrays.copyOf(clip, clip.length / 2));
        Files.writeString(archive.resolve("notes.txt"), "not a video");
        List<Path> inputs =
                List.of(
                        DATA.resolve("video/hamilton_clip.mp4"),
                        DATA.resolve("video/faceapi_5frames.mp4"),
                        archive);
        Path out = tmp.resolve("report");

        replay(inputs, out);
        keepForAPerson(out);
        byte[] csv = Files.readAllBytes(out.resolve("appearances.csv"));
        byte[] json = Files.readAllBytes(out.resolve("appearances.json"));
        System.out.print(new String(csv));

        JsonNode doc = new ObjectMapper().readTree(json);
        JsonNode schema =
                new ObjectMapper()
                        .readTree(
                                ReplayITCase.class.getResourceAsStream("appearances.schema.json"));
        assertThat(SchemaCheck.violations(schema, doc)).isEmpty();
        assertThat(
                        new ObjectMapper()
                                .readTree(ROOT.resolve("docs/appearances.schema.json").toFile()))
                .as("the published schema is the one the jar carries")
                .isEqualTo(schema);

        List<JsonNode> apps = list(doc.get("appearances"));
        List<JsonNode> miranda =
                apps.stream()
                        .filter(a -> a.get("video").asText().equals("hamilton_clip.mp4"))
                        .filter(a -> a.get("identity").asText().equals("lin_manuel_miranda"))
                        .toList();
        assertThat(miranda).isNotEmpty();
        for (JsonNode a : miranda) {
            assertThat(a.get("startMs").asLong()).isBetween(0L, a.get("endMs").asLong());
            assertThat(a.get("endMs").asLong()).isLessThanOrEqualTo(9200L);
            assertThat(out.resolve(a.get("thumbnail").asText())).isRegularFile();
        }
        // Obama is only in the audience shot at the end, seen from the side: named above the pose
        // bar (PoseFaces), in that shot only.
        List<JsonNode> obama =
                apps.stream().filter(a -> a.get("identity").asText().equals("obama")).toList();
        assertThat(obama)
                .isNotEmpty()
                .allSatisfy(a -> assertThat(a.get("startMs").asLong()).isGreaterThan(6000L));
        System.out.println("obama appearances: " + obama.size());
        System.out.println(
                "alex_lacamoire appearances: "
                        + apps.stream()
                                .filter(a -> a.get("identity").asText().equals("alex_lacamoire"))
                                .count());
        assertTracksOfTheClip(out, doc, apps, miranda);

        JsonNode cut = video(doc, "hamilton_cut.mp4");
        assertThat(cut.get("status").asText()).isEqualTo("failed");
        assertThat(cut.get("errors").get(0).asText())
                .as("plain words, not JavaCV's hint or class names")
                .isNotBlank()
                .doesNotContain("setFormat", "bytedeco");
        System.out.println("truncated file: " + cut.get("errors"));
        assertThat(video(doc, "hamilton_clip.mp4").get("status").asText()).isEqualTo("ok");
        assertThat(video(doc, "faceapi_5frames.mp4").get("framesDone").asInt()).isPositive();
        assertThat(list(doc.get("skipped")))
                .singleElement()
                .satisfies(s -> assertThat(s.get("path").asText()).endsWith("notes.txt"));

        String html = Files.readString(out.resolve("report.html"));
        assertThat(html)
                .contains("lin_manuel_miranda", "data:image/jpeg;base64,", "notes.txt")
                .doesNotContain("http://", "https://", "<script");
        JsonNode junk = video(doc, "hamilton_clip.mp4").get("notRecognisable");
        if (!junk.isEmpty()) {
            assertThat(html).contains("not recognisable: ");
            junk.fieldNames().forEachRemaining(reason -> assertThat(html).contains(reason + " "));
        }

        renderInChromium(out.resolve("report.html"));

        // The annotated video: every sampled frame of the clip, readable by FFmpeg.
        Path mp4 = out.resolve("videos/hamilton_clip.mp4");
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(mp4.toFile())) {
            g.start();
            int n = 0;
            while (g.grabImage() != null) {
                n++;
            }
            assertThat(n).isEqualTo(video(doc, "hamilton_clip.mp4").get("framesDone").asInt());
            assertThat(g.getImageWidth()).isEqualTo(640);
        }
        // Thumbnails are cut from undrawn frames: no box lines in them.
        for (JsonNode a : miranda) {
            assertThat(boxColouredPixels(out.resolve(a.get("thumbnail").asText())))
                    .as("box-coloured pixels in %s", a.get("thumbnail").asText())
                    .isLessThan(30);
        }

        // Again over the same report, as the job jar's replay entry point (what a cluster runs).
        List<String> args = new java.util.ArrayList<>();
        sets(inputs, out).forEach(x -> args.addAll(List.of("--set", x)));
        assertThatThrownBy(() -> Replay.main(args.toArray(String[]::new)))
                .as("a failed video fails the submitted replay, after the report is written")
                .hasMessageContaining("1 of 3 videos failed");
        assertThat(Files.readAllBytes(out.resolve("appearances.csv"))).isEqualTo(csv);
        assertThat(Files.readAllBytes(out.resolve("appearances.json"))).isEqualTo(json);
        try (var files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(
                            "appearances.csv",
                            "appearances.json",
                            "report.html",
                            "thumbs",
                            "videos");
        }
    }

    /**
     * Issue 12's acceptance for the replay of the sample clip: appearances are the job's tracks, at
     * most 10 unknown people (23 before tracking), Miranda in at most 3, and tracks no face of
     * which passed a gate are counted apart by reason, with no thumbnail, never as unknown people.
     */
    private static void assertTracksOfTheClip(
            Path out, JsonNode doc, List<JsonNode> apps, List<JsonNode> miranda) {
        List<JsonNode> clip =
                apps.stream()
                        .filter(a -> a.get("video").asText().equals("hamilton_clip.mp4"))
                        .toList();
        List<JsonNode> unknown = status(clip, "UNKNOWN");
        List<JsonNode> junk = status(clip, "NOT_RECOGNISABLE");
        JsonNode v = video(doc, "hamilton_clip.mp4");
        System.out.printf(
                "hamilton_clip: %d appearances, %d matched (Miranda %d), %d unknown people,"
                        + " not recognisable %s, lookup failed %d%n",
                clip.size(),
                status(clip, "MATCHED").size(),
                miranda.size(),
                unknown.size(),
                v.get("notRecognisable"),
                status(clip, "LOOKUP_FAILED").size());
        assertThat(unknown).as("appearances of unknown people").hasSizeLessThanOrEqualTo(10);
        assertThat(v.get("unknownPeople").asInt()).isEqualTo(unknown.size());
        assertThat(miranda).as("Miranda's appearances").hasSizeBetween(1, 3);
        assertThat(clip.stream().map(a -> a.get("trackId").asLong()).distinct().count())
                .as("one appearance per track")
                .isEqualTo(clip.size());
        assertThat(status(clip, "MATCHED"))
                .allSatisfy(
                        a ->
                                assertThat(a.get("identity").asText())
                                        .isIn("lin_manuel_miranda", "alex_lacamoire", "obama"));
        assertThat(unknown)
                .allSatisfy(
                        a -> {
                            assertThat(a.get("identity").asText()).startsWith("unknown-");
                            assertThat(out.resolve(a.get("thumbnail").asText())).isRegularFile();
                        });
        assertThat(junk)
                .allSatisfy(
                        a -> {
                            assertThat(a.get("identity").asText()).startsWith("not-recognisable-");
                            assertThat(a.get("reason").asText()).isNotBlank();
                            assertThat(a.get("thumbnail").isNull()).isTrue();
                        });
        int counted = 0;
        for (JsonNode n : v.get("notRecognisable")) {
            counted += n.asInt();
        }
        assertThat(counted).isEqualTo(junk.size());
        for (JsonNode a : clip) {
            assertThat(a.get("startMs").asLong()).isBetween(0L, a.get("endMs").asLong());
            assertThat(a.get("firstSequence").asLong())
                    .isLessThanOrEqualTo(a.get("lastSequence").asLong());
        }
    }

    private static List<JsonNode> status(List<JsonNode> apps, String status) {
        return apps.stream().filter(a -> a.get("status").asText().equals(status)).toList();
    }

    @Test
    void refusesAnUnwritableOutFolderBeforeRunning(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        long t0 = System.nanoTime();
        int rc =
                FacestreamCli.execute(
                        "replay",
                        "--out",
                        file.resolve("report").toString(),
                        DATA.resolve("video/faceapi_5frames.mp4").toString());
        assertThat(rc).isEqualTo(1);
        assertThat((System.nanoTime() - t0) / 1e9).as("fails before any job").isLessThan(5);
    }

    /**
     * The report in headless Chromium: the DOM shows Miranda and her thumbnails; the screenshot is
     * kept under target/test-output/replay for a person to look at.
     */
    private static void renderInChromium(Path html) throws Exception {
        // A missing browser fails the test: scripts/test.sh installs Debian's chromium.
        assertThat(HeadlessChromium.available())
                .as("chromium on PATH (scripts/test.sh installs it)")
                .isTrue();
        Path shots = Files.createDirectories(Path.of("target", "test-output", "replay"));
        HeadlessChromium.screenshot(html, shots.resolve("report.png"));
        String dom = HeadlessChromium.dumpDom(html);
        assertThat(dom).contains("lin_manuel_miranda");
        assertThat(
                        dom.split(
                                                "<img alt=\"lin_manuel_miranda\" src=\"data:image/jpeg;base64,",
                                                -1)
                                        .length
                                - 1)
                .as("Miranda's thumbnails (per appearance, and in the summary)")
                .isGreaterThanOrEqualTo(2);
        assertThat(Files.size(shots.resolve("report.png"))).isGreaterThan(10_000);
    }

    /**
     * Runs the replay through {@link Replay} (what the CLI does) and records the progress reports;
     * asserts that progress came while the BATCH job ran, not only at its end.
     */
    private static void replay(List<Path> inputs, Path out) throws Exception {
        List<Map<String, Integer>> reports = new CopyOnWriteArrayList<>();
        Replay.Summary s =
                Replay.run(
                        StreamExecutionEnvironment.getExecutionEnvironment(),
                        config(inputs, out),
                        new Replay.Progress() {
                            @Override
                            public void start(ReplayInputs in, ReplayJob.Settings settings) {}

                            @Override
                            public void update(Map<String, Integer> framesPerVideo) {
                                reports.add(Map.copyOf(framesPerVideo));
                            }
                        },
                        System.out::println);
        System.out.println(s.line());
        int last = sum(reports.get(reports.size() - 1));
        assertThat(last).isEqualTo(s.frames());
        assertThat(reports)
                .as("a progress report with part of the frames done, while the job ran")
                .anySatisfy(r -> assertThat(sum(r)).isBetween(1, last - 1));
    }

    /** Copies the report under target/test-output/replay so a person can look at the thumbnails. */
    private static void keepForAPerson(Path report) throws java.io.IOException {
        Path keep = Files.createDirectories(Path.of("target", "test-output", "replay", "report"));
        try (var files = Files.walk(report)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                Path to = keep.resolve(report.relativize(p).toString());
                Files.createDirectories(to.getParent());
                Files.copy(p, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static int sum(Map<String, Integer> r) {
        return r.values().stream().mapToInt(Integer::intValue).sum();
    }

    private static JobConfig config(List<Path> inputs, Path out) {
        List<String> sets = new java.util.ArrayList<>(sets(inputs, out));
        return JobConfig.load(null, sets);
    }

    private static List<String> sets(List<Path> inputs, Path out) {
        List<String> sets =
                new java.util.ArrayList<>(ReplayJob.baseConfig(redis.url(), "people", 2));
        sets.add("replay.inputs=" + String.join(";", inputs.stream().map(Path::toString).toList()));
        sets.add("replay.out=" + out);
        sets.add("replay.fps=10");
        sets.add("replay.annotated-video=true");
        return sets;
    }

    /** Pixels of the annotator's KNOWN box colour (0, 200, 0 BGR, give or take JPEG noise). */
    static int boxColouredPixels(Path jpeg) throws Exception {
        try (Mat img = new ImageDecoder().decode(jpeg);
                UByteIndexer px = img.createIndexer()) {
            int n = 0;
            for (int y = 0; y < img.rows(); y++) {
                for (int x = 0; x < img.cols(); x++) {
                    if (px.get(y, x, 0) < 60 && px.get(y, x, 1) > 160 && px.get(y, x, 2) < 60) {
                        n++;
                    }
                }
            }
            return n;
        }
    }

    private static JsonNode video(JsonNode doc, String id) {
        return list(doc.get("videos")).stream()
                .filter(v -> v.get("video").asText().equals(id))
                .findFirst()
                .orElseThrow();
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new java.util.ArrayList<>();
        array.forEach(out::add);
        return out;
    }
}
