package io.facestream.job.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.facestream.flink.DeadLetters;
import io.facestream.flink.source.VideoSource;
import io.facestream.flink.source.VideoSourceOptions;
import io.facestream.gallery.LocalRedis;
import io.facestream.job.FaceRecognitionJob;
import io.facestream.job.FacestreamJob;
import io.facestream.job.JobConfig;
import io.facestream.job.JobTestSupportAccess;
import io.facestream.job.Sources;
import io.facestream.job.hostile.HostileCorpus.Case;
import io.facestream.job.hostile.HostileCorpus.Kind;
import io.facestream.schema.AnnotatedFrame;
import io.facestream.schema.DeadLetter;
import io.facestream.schema.FaceIdentity;
import io.facestream.schema.MatchStatus;
import io.facestream.testing.Cli;
import io.facestream.testing.EmbeddedKafka;
import io.facestream.testing.LogCapture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.RedisClient;

/**
 * The hostile-input corpus ({@link HostileCorpus}) through the streaming job and through the CLI.
 *
 * <p>One MiniCluster run of the production graph reads every bad record from a real KRaft broker,
 * interleaved with real photos, plus a copy of the sample clip with garbage written over its middle
 * from the video source; the gallery is a real Redis 8 enrolled through the CLI under identity
 * names with quotes, newlines, tabs and non-Latin script. One {@code facestream identify} run takes
 * every case as a file. Each case must end as a dead letter with a reason (job) and as a per-file
 * error with the reason (CLI), or be processed, and the good frames around them must still be
 * identified.
 */
class HostileInputITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = JobTestSupportAccess.miniCluster();

    static final String GALLERY = "hostile";

    /** Quotes, an apostrophe, a newline, a snowman, Chinese and an emoji flag (surrogate pairs). */
    static final String OBAMA = "Barack \"Barry\" O'Bama\n44th ☃ 巴拉克·奥巴马 🇺🇸";

    /** A comma, a tab, CR LF, a backslash, markup, an ESC (terminal control) and a Spanish ñ. */
    static final String BIDEN = "Biden, Joe\t\"VP\"\r\n\\ ñandú <b>&amp; \u001b[31mred";

    /** How {@code gallery list} shows them: control characters and backslashes escaped. */
    static final String OBAMA_SHOWN = "Barack \"Barry\" O'Bama\\n44th ☃ 巴拉克·奥巴马 🇺🇸";

    static final String BIDEN_SHOWN = "Biden, Joe\\t\"VP\"\\r\\n\\\\ ñandú <b>&amp; \\u001b[31mred";

    @TempDir static Path tmp;
    static EmbeddedKafka kafka;
    static LocalRedis redis;
    static List<Case> corpus;
    static Map<String, DeadLetter> deadByCase = new LinkedHashMap<>();
    static Map<String, AnnotatedFrame> frameByCase = new LinkedHashMap<>();
    static List<FaceIdentity> identities;
    static List<AnnotatedFrame> annotated;
    static List<DeadLetter> dead;
    static Map<String, JsonNode> cliByCase = new LinkedHashMap<>();
    static Cli identify;
    static long jobMillis;
    static boolean started;
    static IllegalStateException setupFailure;

    /**
     * Once for the class, but from {@code @BeforeEach}: the MiniCluster extension installs its
     * execution environment per test, so a job submitted from {@code @BeforeAll} would get a
     * one-slot local cluster instead.
     */
    @BeforeEach
    void runTheCorpusOnce() throws Exception {
        if (!started) {
            started = true;
            try {
                runTheCorpus();
            } catch (Exception | AssertionError e) {
                setupFailure = new IllegalStateException("running the corpus failed", e);
            }
        }
        if (setupFailure != null) {
            throw setupFailure;
        }
    }

    static void runTheCorpus() throws Exception {
        kafka = EmbeddedKafka.start();
        redis = LocalRedis.start();
        kafka.createTopic("frames", 1);
        enrolWeirdNames();
        List<Case> cases = HostileCorpus.cases();
        corpus = cases;
        runJob();
        runCli();
    }

    @AfterAll
    static void stop() throws Exception {
        if (redis != null) {
            redis.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    /** obama and biden under hostile names, kit and rose under their own, all through the CLI. */
    static void enrolWeirdNames() throws Exception {
        Path root = tmp.resolve("gallery");
        Map<String, String> folders =
                Map.of(
                        "obama",
                        OBAMA,
                        "biden",
                        BIDEN,
                        "kit_harington",
                        "kit_harington",
                        "rose_leslie",
                        "rose_leslie");
        for (var e : folders.entrySet()) {
            Path to = Files.createDirectories(root.resolve(e.getValue()));
            try (var files =
                    Files.list(HostileCorpus.DATA.resolve("people/gallery/" + e.getKey()))) {
                for (Path f : files.toList()) {
                    Files.copy(f, to.resolve(f.getFileName()));
                }
            }
        }
        Cli enrol = Cli.run("enroll", "--redis", redis.url(), "-g", GALLERY, root.toString());
        assertThat(enrol.rc()).as(enrol.out() + enrol.err()).isZero();
        Cli list = Cli.run("gallery", "list", "--redis", redis.url(), "-g", GALLERY);
        // The table escapes control characters: a name must not break lines or drive the terminal.
        assertThat(list.out())
                .contains(OBAMA_SHOWN, BIDEN_SHOWN)
                .doesNotContain(OBAMA, "\u001b")
                .contains("4 identities, 11 entries");
    }

    static void runJob() throws Exception {
        byte[] scene = HostileCorpus.read("people/scenes/obama_and_biden.jpg");
        byte[] kitWithRose = HostileCorpus.read("people/scenes/kit_with_rose.jpg");
        List<Map.Entry<byte[], byte[]>> records = new ArrayList<>();
        List<String> recordCase = new ArrayList<>();
        byte[] key = "hostile".getBytes(StandardCharsets.UTF_8);
        long seq = 0;
        // A good frame before, between every two bad ones, and after.
        for (int i = 0; i <= corpus.size(); i++) {
            byte[] good = i % 2 == 0 ? scene : kitWithRose;
            records.add(
                    Map.entry(
                            key, HostileCorpus.avro(HostileCorpus.goodFrame("good", seq++, good))));
            recordCase.add("good");
            if (i == corpus.size()) {
                break;
            }
            Case c = corpus.get(i);
            byte[] value =
                    c.kind() == Kind.RECORD
                            ? c.bytes()
                            : HostileCorpus.avro(HostileCorpus.frame(c, "case-" + i, seq++));
            records.add(new java.util.AbstractMap.SimpleEntry<>(key, value));
            recordCase.add(c.name());
        }
        List<RecordMetadata> sent = kafka.produce("frames", records);
        Map<String, String> caseBySource = new LinkedHashMap<>();
        for (int i = 0; i < sent.size(); i++) {
            caseBySource.put("frames/0/" + sent.get(i).offset(), recordCase.get(i));
        }

        Path broken = brokenClip();
        JobConfig cfg =
                JobConfig.load(
                        null,
                        List.of(
                                "kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                                "kafka.starting-offsets=EARLIEST",
                                "kafka.bounded=true",
                                "redis.url=" + redis.url(),
                                "gallery.name=" + GALLERY,
                                "parallelism=1",
                                "checkpoint.interval=2s"));
        Configuration c = new Configuration();
        c.set(PipelineOptions.GENERIC_TYPES, false);
        c.setString("restart-strategy.type", "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(c);
        FacestreamJob.configure(env, cfg);
        Sources.Input fromKafka = Sources.kafka(env, cfg);
        Sources.Input fromVideo =
                Sources.video(
                        env,
                        VideoSource.builder()
                                .addFile(broken, "broken-video")
                                .options(VideoSourceOptions.builder().everyNth(25).build())
                                .build());
        FaceRecognitionJob.Outputs out =
                FaceRecognitionJob.build(cfg, fromKafka.frames().union(fromVideo.frames()));
        DataStream<DeadLetter> allDead =
                fromKafka.deadLetters().union(fromVideo.deadLetters()).union(out.deadLetters());
        CloseableIterator<FaceIdentity> ids = out.identities().collectAsync();
        CloseableIterator<AnnotatedFrame> frames = out.annotated().collectAsync();
        CloseableIterator<DeadLetter> letters = allDead.collectAsync();
        long t0 = System.nanoTime();
        var client = env.executeAsync("hostile-input");
        var idsF = drain(ids);
        var framesF = drain(frames);
        var deadF = drain(letters);
        identities = idsF.get();
        annotated = framesF.get();
        dead = deadF.get();
        client.getJobExecutionResult().get();
        jobMillis = (System.nanoTime() - t0) / 1_000_000;

        for (DeadLetter d : dead) {
            System.out.println(
                    "dead letter: "
                            + d.getStage()
                            + " "
                            + d.getSource()
                            + ": "
                            + d.getErrorMessage());
            String name = caseBySource.get(d.getSource());
            if (name == null && d.getSource().startsWith("camera case-")) {
                int i = Integer.parseInt(d.getSource().split(" ")[1].substring("case-".length()));
                name = corpus.get(i).name();
            }
            if (name != null) {
                assertThat(deadByCase.put(name, d)).as("one dead letter for " + name).isNull();
            }
        }
        for (AnnotatedFrame f : annotated) {
            if (f.getCameraId().startsWith("case-")) {
                int i = Integer.parseInt(f.getCameraId().substring("case-".length()));
                frameByCase.put(corpus.get(i).name(), f);
            }
        }
        System.out.printf(
                "hostile job: %d ms, %d annotated frames, %d identities, %d dead letters%n",
                jobMillis, annotated.size(), identities.size(), dead.size());
    }

    /** The sample clip with 64 KiB of garbage written over the middle of its media data. */
    static Path brokenClip() throws Exception {
        return brokenClip(tmp);
    }

    static Path brokenClip(Path tmp) throws Exception {
        byte[] clip = Files.readAllBytes(JobTestSupportAccess.CLIP);
        java.util.Random r = new java.util.Random(11);
        byte[] garbage = new byte[64 * 1024];
        r.nextBytes(garbage);
        System.arraycopy(garbage, 0, clip, clip.length / 2, garbage.length);
        Path p = tmp.resolve("broken-middle.mp4");
        Files.write(p, clip);
        return p;
    }

    /** One {@code identify --json} over every case's bytes as a file, plus a good photo. */
    static void runCli() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("cli-inputs"));
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "identify",
                                "--redis",
                                redis.url(),
                                "-g",
                                GALLERY,
                                "--json",
                                tmp.resolve("cli.json").toString()));
        Map<String, String> caseByFile = new LinkedHashMap<>();
        for (int i = 0; i < corpus.size(); i++) {
            Case c = corpus.get(i);
            if (!c.cli()) {
                continue;
            }
            Path f = dir.resolve("case-" + i + ".jpg");
            Files.write(f, c.bytes());
            args.add(f.toString());
            caseByFile.put(f.toString(), c.name());
        }
        Path good = HostileCorpus.DATA.resolve("people/scenes/obama_and_biden.jpg");
        args.add(good.toString());
        caseByFile.put(good.toString(), "good");
        identify = Cli.run(args.toArray(String[]::new));
        System.out.println(identify.out());
        System.out.println(identify.err());
        for (JsonNode image : new ObjectMapper().readTree(tmp.resolve("cli.json").toFile())) {
            cliByCase.put(caseByFile.get(image.get("source").asText()), image);
        }
    }

    static List<Case> corpus() {
        return HostileCorpus.cases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void endsAsADeadLetterWithAReasonOrIsProcessed(Case c) {
        if (c.jobStage() != null) {
            DeadLetter d = deadByCase.get(c.name());
            assertThat(d).as("dead letter of %s", c.name()).isNotNull();
            assertThat(d.getStage()).isEqualTo(c.jobStage());
            assertThat(d.getErrorMessage()).contains(c.jobReason());
            assertThat(d.getErrorClass()).isNotBlank();
            // Bounded: a dead letter keeps at most the first 4 KiB of what it refused.
            int payload = d.getPayload() == null ? 0 : d.getPayload().remaining();
            assertThat(payload).isLessThanOrEqualTo(DeadLetters.MAX_PAYLOAD);
            assertThat(frameByCase).doesNotContainKey(c.name());
        } else {
            assertThat(deadByCase)
                    .as("no dead letter for %s", c.name())
                    .doesNotContainKey(c.name());
            AnnotatedFrame f = frameByCase.get(c.name());
            assertThat(f).as("annotated frame of %s", c.name()).isNotNull();
            assertThat(f.getFaces()).hasSize(c.faces());
        }
        if (!c.cli()) {
            return;
        }
        JsonNode image = cliByCase.get(c.name());
        assertThat(image).as("CLI result for %s", c.name()).isNotNull();
        if (c.cliReason() != null) {
            assertThat(image.path("error").asText()).contains(c.cliReason());
            assertThat(identify.err()).contains("skipped: ");
        } else {
            assertThat(image.has("error")).as(image.toString()).isFalse();
            assertThat(image.get("faces")).hasSize(c.faces());
        }
    }

    /** Good frames between the bad ones are all processed and their faces named. */
    @Test
    void keepsIdentifyingTheGoodFramesAroundTheBadOnes() {
        List<AnnotatedFrame> good =
                annotated.stream().filter(f -> f.getCameraId().equals("good")).toList();
        assertThat(good).hasSize(corpus.size() + 1);
        Map<String, Long> matched =
                identities.stream()
                        .filter(i -> i.getCameraId().equals("good"))
                        .filter(i -> i.getStatus() == MatchStatus.MATCHED)
                        .collect(
                                Collectors.groupingBy(
                                        FaceIdentity::getIdentity, Collectors.counting()));
        int scenes = (corpus.size() + 2) / 2; // the even positions hold obama_and_biden.jpg
        assertThat(matched)
                .containsEntry(OBAMA, (long) scenes)
                .containsEntry(BIDEN, (long) scenes)
                .containsEntry("kit_harington", (long) (corpus.size() + 1 - scenes));
        // The last good frame comes after every bad record: it was identified too.
        long last = good.stream().mapToLong(AnnotatedFrame::getSequence).max().orElseThrow();
        assertThat(identities).anyMatch(i -> i.getFrameSequence() == last);
        // The CLI names the same people, and its JSON carries the names exactly.
        JsonNode scene = cliByCase.get("good");
        List<String> names = new ArrayList<>();
        scene.get("faces").forEach(f -> names.add(f.path("identity").asText()));
        assertThat(names).contains(OBAMA, BIDEN);
        assertThat(identify.rc()).isEqualTo(2); // some inputs failed, not the run
        // Its table shows the names escaped: no raw newline or ESC reaches the terminal.
        assertThat(identify.out()).contains(OBAMA_SHOWN, BIDEN_SHOWN).doesNotContain("\u001b");
    }

    /**
     * The clip with garbage in its middle: the decoder skips what it cannot read, the frames before
     * and after the damage still come through and are identified, and the loss is a dead letter.
     */
    @Test
    void readsPastTheBrokenMiddleOfAVideo() {
        List<Long> seqs =
                annotated.stream()
                        .filter(f -> f.getCameraId().equals("broken-video"))
                        .map(AnnotatedFrame::getSequence)
                        .sorted()
                        .toList();
        System.out.println("broken video frames: " + seqs);
        List<DeadLetter> videoDead =
                dead.stream().filter(d -> d.getSource().contains("broken-middle.mp4")).toList();
        // FFmpeg resynchronises after the garbage; the frames it lost are reported, not hidden.
        assertThat(videoDead)
                .singleElement()
                .satisfies(d -> assertThat(d.getErrorMessage()).contains("truncated or corrupt"));
        assertThat(seqs).isNotEmpty();
        assertThat(seqs.get(seqs.size() - 1)).isGreaterThan(200);
        assertThat(identities)
                .filteredOn(i -> i.getCameraId().equals("broken-video"))
                .anyMatch(i -> i.getStatus() == MatchStatus.MATCHED);
    }

    /**
     * Names with quotes, newlines, tabs, ESC and non-Latin script survive Redis and come back
     * exactly in the CLI's JSON; {@code gallery delete} takes the exact name and removes it.
     */
    @Test
    void hostileIdentityNamesRoundTripAndDelete() throws Exception {
        Cli delete = Cli.run("gallery", "delete", "--redis", redis.url(), "-g", GALLERY, OBAMA);
        assertThat(delete.rc()).as(delete.err()).isZero();
        assertThat(delete.out()).contains(OBAMA_SHOWN + ": 4 entries deleted");
        Cli list = Cli.run("gallery", "list", "--redis", redis.url(), "-g", GALLERY);
        assertThat(list.out()).doesNotContain(OBAMA_SHOWN).contains(BIDEN_SHOWN);

        Path json = tmp.resolve("after-delete.json");
        Cli again =
                Cli.run(
                        "identify",
                        "--redis",
                        redis.url(),
                        "-g",
                        GALLERY,
                        "--out",
                        tmp.resolve("after-delete").toString(),
                        "--json",
                        json.toString(),
                        HostileCorpus.DATA.resolve("people/scenes/obama_and_biden.jpg").toString());
        assertThat(again.rc()).as(again.err()).isZero();
        List<String> names = new ArrayList<>();
        new ObjectMapper()
                .readTree(json.toFile())
                .get(0)
                .get("faces")
                .forEach(f -> names.add(f.path("identity").asText()));
        assertThat(names).contains(BIDEN).doesNotContain(OBAMA);
        Cli missing = Cli.run("gallery", "delete", "--redis", redis.url(), "-g", GALLERY, OBAMA);
        assertThat(missing.rc()).isEqualTo(1);
        assertThat(missing.out()).contains(OBAMA_SHOWN + ": 0 entries deleted");
    }

    /**
     * A gallery name whose keys already hold something else (here a string) is a clear error that
     * names the key, from every CLI command (exit code 1); the job keeps running, every face is a
     * LOOKUP_FAILED identity, and the log says why.
     */
    @Test
    void aGalleryNameWhoseKeyHoldsAStringIsAClearError() throws Exception {
        try (var client = RedisClient.create(java.net.URI.create(redis.url()))) {
            client.set("facestream:gallery:{taken}:meta", "somebody else's string");
            client.set("facestream:gallery:{taken-set}", "somebody else's string");
        }
        String metaError =
                "key 'facestream:gallery:{taken}:meta' holds a string, not a hash; it is not a"
                        + " facestream gallery";
        Path photo = HostileCorpus.DATA.resolve("people/scenes/kit_with_rose.jpg");
        List<Cli> runs =
                List.of(
                        Cli.run("gallery", "list", "--redis", redis.url(), "-g", "taken"),
                        Cli.run("gallery", "delete", "--redis", redis.url(), "-g", "taken", "x"),
                        Cli.run(
                                "identify",
                                "--redis",
                                redis.url(),
                                "-g",
                                "taken",
                                "--out",
                                tmp.resolve("taken").toString(),
                                photo.toString()),
                        Cli.run(
                                "enroll",
                                "--redis",
                                redis.url(),
                                "-g",
                                "taken",
                                HostileCorpus.DATA.resolve("people/gallery/biden").toString()));
        for (Cli run : runs) {
            assertThat(run.rc()).as(run.out()).isEqualTo(1);
            assertThat(run.err()).contains("error: " + metaError);
        }
        Cli enrol =
                Cli.run(
                        "enroll",
                        "--redis",
                        redis.url(),
                        "-g",
                        "taken-set",
                        HostileCorpus.DATA.resolve("people/gallery/biden").toString());
        assertThat(enrol.rc()).isEqualTo(1);
        assertThat(enrol.err())
                .contains("key 'facestream:gallery:{taken-set}' holds a string, not a vectorset");
        try (var client = RedisClient.create(java.net.URI.create(redis.url()))) {
            assertThat(client.get("facestream:gallery:{taken}:meta"))
                    .as("the other owner's data is left alone")
                    .isEqualTo("somebody else's string");
        }

        JobConfig cfg =
                JobConfig.load(
                        null,
                        List.of(
                                "source.uris=unused",
                                "redis.url=" + redis.url(),
                                "gallery.name=taken",
                                "parallelism=1",
                                "lookup.max-attempts=1",
                                "checkpoint.interval=2s"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        FacestreamJob.configure(env, cfg);
        Sources.Input in =
                Sources.video(
                        env,
                        VideoSource.builder()
                                .addFile(
                                        HostileCorpus.DATA.resolve("video/faceapi_5frames.mp4"),
                                        "taken")
                                .options(VideoSourceOptions.defaults())
                                .build());
        FaceRecognitionJob.Outputs out = FaceRecognitionJob.build(cfg, in.frames());
        CloseableIterator<FaceIdentity> ids = out.identities().collectAsync();
        CloseableIterator<AnnotatedFrame> frames = out.annotated().collectAsync();
        List<FaceIdentity> found;
        try (LogCapture log = LogCapture.start()) {
            var client = env.executeAsync("gallery-key-collision");
            var idsF = drain(ids);
            var framesF = drain(frames);
            found = idsF.get();
            assertThat(framesF.get()).hasSize(5);
            client.getJobExecutionResult().get();
            // The identity records say LOOKUP_FAILED; the reason is in the (rate-limited) log.
            assertThat(log.text()).contains("gallery lookup failed").contains(metaError);
        }
        assertThat(found).isNotEmpty();
        assertThat(found)
                .allSatisfy(i -> assertThat(i.getStatus()).isEqualTo(MatchStatus.LOOKUP_FAILED));
    }

    static <T> CompletableFuture<List<T>> drain(java.util.Iterator<T> it) {
        return CompletableFuture.supplyAsync(
                () -> {
                    List<T> out = new ArrayList<>();
                    it.forEachRemaining(out::add);
                    return out;
                },
                Executors.newSingleThreadExecutor());
    }
}
