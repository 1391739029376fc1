package io.facestream.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.facestream.cli.FacestreamCli;
import io.facestream.flink.source.VideoSplit;
import io.facestream.gallery.LocalRedis;
import io.facestream.job.JobConfig;
import io.facestream.job.JobTestSupportAccess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
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
        ReplayInputs inputs =
                ReplayInputs.of(
                        List.of(
                                DATA.resolve("video/hamilton_clip.mp4"),
                                DATA.resolve("video/faceapi_5frames.mp4"),
                                archive));
        Path out = tmp.resolve("report");

        replay(inputs, out);
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
        assertThat(apps)
                .filteredOn(a -> a.get("identity").asText().equals("obama"))
                .allSatisfy(a -> assertThat(a.get("startMs").asLong()).isGreaterThan(6000L))
                .isNotEmpty();
        System.out.println(
                "alex_lacamoire appearances: "
                        + apps.stream()
                                .filter(a -> a.get("identity").asText().equals("alex_lacamoire"))
                                .count());

        JsonNode cut = video(doc, "hamilton_cut.mp4");
        assertThat(cut.get("status").asText()).isEqualTo("failed");
        assertThat(cut.get("errors").get(0).asText()).isNotBlank();
        System.out.println("truncated file: " + cut.get("errors"));
        assertThat(video(doc, "hamilton_clip.mp4").get("status").asText()).isEqualTo("ok");
        assertThat(video(doc, "faceapi_5frames.mp4").get("framesDone").asInt()).isPositive();
        assertThat(list(doc.get("skipped")))
                .singleElement()
                .satisfies(s -> assertThat(s.get("path").asText()).endsWith("notes.txt"));

        String html = Files.readString(out.resolve("report.html"));
        assertThat(html)
                .contains("lin_manuel_miranda", "obama", "data:image/jpeg;base64,", "notes.txt")
                .doesNotContain("http://", "https://", "<script");

        renderInChromium(out.resolve("report.html"));

        replay(inputs, out); // again, over the same report
        assertThat(Files.readAllBytes(out.resolve("appearances.csv"))).isEqualTo(csv);
        assertThat(Files.readAllBytes(out.resolve("appearances.json"))).isEqualTo(json);
        try (var files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(
                            "appearances.csv", "appearances.json", "report.html", "thumbs");
        }
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
     * The report in headless Chromium: the DOM shows both recognised identities and their
     * thumbnails; the screenshot is kept under target/test-output/replay for a person to look at.
     */
    private static void renderInChromium(Path html) throws Exception {
        // A missing browser fails the test: scripts/test.sh installs Debian's chromium.
        assertThat(HeadlessChromium.available())
                .as("chromium on PATH (scripts/test.sh installs it)")
                .isTrue();
        Path shots = Files.createDirectories(Path.of("target", "test-output", "replay"));
        HeadlessChromium.screenshot(html, shots.resolve("report.png"));
        String dom = HeadlessChromium.dumpDom(html);
        assertThat(dom).contains("lin_manuel_miranda", "obama");
        assertThat(dom.split("<img alt=\"lin_manuel_miranda\"", -1).length - 1)
                .as("Miranda's thumbnails")
                .isGreaterThanOrEqualTo(2);
        assertThat(dom).contains("<img alt=\"obama\" src=\"data:image/jpeg;base64,");
        assertThat(Files.size(shots.resolve("report.png"))).isGreaterThan(10_000);
    }

    private static void replay(ReplayInputs inputs, Path out) throws Exception {
        ReplayReport.checkWritable(out);
        JobConfig cfg = JobConfig.load(null, ReplayJob.baseConfig(redis.url(), "people", 2));
        var settings = new ReplayJob.Settings(0, VideoSplit.TO_END, 10, RuntimeExecutionMode.BATCH);
        ReplayResult r =
                ReplayJob.run(
                        StreamExecutionEnvironment.getExecutionEnvironment(),
                        cfg,
                        inputs,
                        settings,
                        f -> {});
        var entries = ReplayReport.entries(r, new AppearanceMerger());
        new ReplayReport(out).write(r, entries, "people");
        long frames = entries.stream().mapToLong(ReplayReport.VideoEntry::framesDone).sum();
        System.out.printf(
                "replay: %d frames in %.1f s, dead letters %s%n",
                frames, r.seconds(), r.deadLetters().size());
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
