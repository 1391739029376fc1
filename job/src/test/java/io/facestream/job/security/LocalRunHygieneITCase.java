package io.facestream.job.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.facestream.cli.FacestreamCli;
import io.facestream.testing.ForkedJvm;
import io.facestream.testing.ListeningSockets;
import io.facestream.testing.LocalRedis;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a CLI run leaves behind and exposes, seen from outside its JVM: {@code facestream demo}
 * (enrol the people gallery, run the streaming job on a local MiniCluster over a video) runs in a
 * JVM of its own with an empty {@code java.io.tmpdir} and every logger at DEBUG into a file, while
 * this test samples the sockets it listens on. Afterwards: the temp folder is empty, every
 * listening socket was on loopback, and the log holds no embedding-like vector and no image bytes.
 * A run stopped with Ctrl-C (SIGINT) in the middle of its job leaves the temp folder empty too.
 */
class LocalRunHygieneITCase {
    static final Pattern REST = Pattern.compile("Rest endpoint listening at ([^:\\s]+):(\\d+)");

    /** 16 or more numbers with a fraction in a row: an embedding, a crop's pixels, a tensor. */
    static final Pattern FLOATS =
            Pattern.compile("(?:[-+]?\\d*\\.\\d+(?:[eE][-+]?\\d+)?[,;\\s]+){15,}[-+]?\\d*\\.\\d+");

    /** Base64 of more than ~150 bytes: an encoded image or vector. */
    static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]{200,}={0,2}");

    /** JPEG/PNG bytes as Avro's toString, Java's escapes, base64 or raw (decoded as UTF-8). */
    static final Pattern IMAGE_BYTES =
            Pattern.compile(
                    "\\\\u00FF\\\\u00D8|\"bytes\": \"|/9j/|iVBORw0KGgo|\u00FF\u00D8\u00FF|\uFFFD{8,}"
                            + "|[\\x00-\\x08\\x0E-\\x1F]{4,}");

    @TempDir static Path tmp;
    static LocalRedis redis;
    static ForkedJvm demo;
    static boolean finished;
    static final Set<InetSocketAddress> listened = ConcurrentHashMap.newKeySet();
    static final Set<String> tempSeen = new TreeSet<>();

    @BeforeAll
    static void runDemo() throws Exception {
        redis = LocalRedis.start();
        Path out = Files.createDirectories(tmp.resolve("out"));
        demo =
                ForkedJvm.start(
                        tmp.resolve("demo"),
                        List.of("-Dlog4j2.configurationFile=" + debugToFile(tmp.resolve("demo"))),
                        FacestreamCli.class,
                        "demo",
                        "--redis",
                        redis.url(),
                        "--out",
                        out.toString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(480);
        while (demo.process().isAlive() && System.nanoTime() < deadline) {
            listened.addAll(ListeningSockets.of(demo.process().pid()));
            tempSeen.addAll(entries(demo.tmpdir()));
            Thread.sleep(200);
        }
        finished = demo.process().waitFor(1, TimeUnit.SECONDS);
        if (!finished) {
            demo.process().destroyForcibly();
        }
        System.out.println(demo.output());
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void leavesNothingInTheTempFolder() throws Exception {
        assertDemoRan();
        // It did use the temp folder: its private folder, with the MiniCluster's files inside.
        assertThat(tempSeen)
                .anyMatch(n -> n.matches("facestream-\\d+-\\d+"))
                .anyMatch(n -> n.contains("minicluster_") || n.startsWith("flink-rpc"));
        assertThat(entries(demo.tmpdir())).isEmpty();
    }

    @Test
    void listensOnLoopbackOnly() throws Exception {
        assertDemoRan();
        Matcher rest = REST.matcher(Files.readString(demo.tmpdir().resolveSibling("debug.log")));
        assertThat(rest.find()).as("Flink logged its REST endpoint").isTrue();
        // The sampling saw the REST API's socket, so it would have seen a wildcard one too.
        assertThat(listened)
                .extracting(InetSocketAddress::getPort)
                .contains(Integer.parseInt(rest.group(2)));
        assertThat(listened)
                .as("listening sockets")
                .allMatch(a -> a.getAddress().isLoopbackAddress());
    }

    @Test
    void logsNoEmbeddingsOrImageBytes() throws Exception {
        assertDemoRan();
        String log = Files.readString(demo.tmpdir().resolveSibling("debug.log"));
        // DEBUG from the libraries and from facestream itself made it into the file.
        assertThat(log).contains(" DEBUG org.apache.flink.").contains(" INFO  io.facestream.");
        for (Pattern leak : List.of(FLOATS, BASE64, IMAGE_BYTES)) {
            Matcher m = leak.matcher(log);
            assertThat(m.find() ? around(log, m.start()) : null).as(leak.pattern()).isNull();
        }
    }

    @Test
    void ctrlCInTheMiddleOfAJobLeavesNothingInTheTempFolder() throws Exception {
        assertDemoRan();
        Path scratch = tmp.resolve("interrupted");
        ForkedJvm run =
                ForkedJvm.start(
                        scratch,
                        List.of("-Dlog4j2.configurationFile=" + debugToFile(scratch)),
                        FacestreamCli.class,
                        "run",
                        "--set",
                        "source.uris=hamilton="
                                + NoOutputITCase.DATA.resolve("video/hamilton_clip.mp4"),
                        "--set",
                        "redis.url=" + redis.url(),
                        "--set",
                        "gallery.name=people-demo",
                        "--set",
                        "parallelism=1");
        Path log = scratch.resolve("debug.log");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        // The job's tasks are running once they have opened their models (there is no enrolment).
        while (run.process().isAlive()
                && System.nanoTime() < deadline
                && !(Files.exists(log) && Files.readString(log).contains("opened model"))) {
            Thread.sleep(200);
        }
        Thread.sleep(2000);
        assertThat(run.process().isAlive()).as(run.output()).isTrue();
        List<String> during = entries(run.tmpdir());
        new ProcessBuilder("kill", "-INT", Long.toString(run.process().pid()))
                .inheritIO()
                .start()
                .waitFor();
        boolean exited = run.process().waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            run.process().destroyForcibly();
        }
        assertThat(exited).as("exits on SIGINT").isTrue();
        // Interrupted mid-job, and stopped the clean way (sources end, outputs closed).
        assertThat(run.output()).contains("stopped by SIGINT");
        assertThat(during).anyMatch(n -> n.startsWith("flink-rpc") || n.contains("minicluster_"));
        assertThat(entries(run.tmpdir())).isEmpty();
    }

    static void assertDemoRan() throws IOException {
        String out = demo.output();
        assertThat(finished).as("the demo finished: " + out).isTrue();
        assertThat(demo.process().exitValue()).as(out).isZero();
        assertThat(out).contains("job finished", "identity records in");
    }

    /** Names of the files and folders in {@code dir} and one level below. */
    static List<String> entries(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir, 2)) {
            return s.filter(p -> !p.equals(dir)).map(p -> p.getFileName().toString()).toList();
        } catch (java.io.UncheckedIOException raced) {
            return entries(dir);
        }
    }

    /** A log4j2 configuration: every logger at DEBUG into {@code dir/debug.log}. */
    static Path debugToFile(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path cfg = dir.resolve("log4j2-debug.properties");
        Files.writeString(
                cfg,
                String.join(
                        "\n",
                        "status = warn",
                        "rootLogger.level = debug",
                        "rootLogger.appenderRef.file.ref = file",
                        "appender.file.type = File",
                        "appender.file.name = file",
                        "appender.file.fileName = " + dir.resolve("debug.log"),
                        "appender.file.layout.type = PatternLayout",
                        "appender.file.layout.pattern = %d %-5level %c - %msg%n%throwable",
                        ""));
        return cfg;
    }

    static String around(String text, int at) {
        return text.substring(Math.max(0, at - 300), Math.min(text.length(), at + 300));
    }
}
