package io.facestream.job.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.facestream.job.JobTestSupportAccess;
import io.facestream.schema.FaceIdentity;
import io.facestream.testing.Cli;
import io.facestream.testing.ForkedJvm;
import io.facestream.testing.LocalRedis;
import io.facestream.testing.RtspCameras;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's {@code run} on a real live camera (the shared GStreamer RTSP server at 29.97 fps) with
 * the real models and Redis 8, in a forked JVM so it can be sent a real SIGTERM: the console shows
 * one status line per camera with drops and a bounded lag, and SIGTERM ends the run within seconds
 * with every output complete — whole JSON lines, a readable Avro file, an MP4 that decodes to the
 * end. And a run whose only camera gave up exits non-zero.
 */
class LiveCameraRunITCase {
    private static final Pattern STATUS =
            Pattern.compile(
                    "door: in (\\d+), processed (\\d+).*dropped (\\d+), lag ([0-9.]+) s,"
                            + " faces (\\d+), named (\\d+)");

    @TempDir Path tmp;

    @Test
    void dropsFramesKeepsTheLagBoundedAndStopsCleanlyOnSigterm() throws Exception {
        Path out = tmp.resolve("out");
        Path log = tmp.resolve("console.log");
        Process p;
        Path shared = ForkedJvm.projectRoot().resolve("../shared").normalize();
        // The bench's launcher of the shared GStreamer RTSP server: one camera on the clip.
        try (RtspCameras camera =
                        RtspCameras.start(
                                shared.resolve("tools/rtsp/serve.py"),
                                shared.resolve("data/video/hamilton_clip.mp4"),
                                1);
                LocalRedis redis = LocalRedis.start()) {
            JobTestSupportAccess.enrolPeople(redis.url(), "people");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            p =
                    new ProcessBuilder(
                                    java,
                                    "-Xmx1g",
                                    "-cp",
                                    pathingJar(tmp.resolve("classpath.jar")).toString(),
                                    "-Dfacestream.log.file=" + tmp.resolve("facestream.log"),
                                    // the CLI's logging, not the tests' (first on the classpath)
                                    "-Dlog4j2.configurationFile=log4j2.properties",
                                    "io.facestream.cli.FacestreamCli",
                                    "run",
                                    "--set",
                                    "source.uris=door=" + camera.uris().get(0),
                                    "--set",
                                    "redis.url=" + redis.url(),
                                    "--set",
                                    "gallery.name=people",
                                    "--set",
                                    "output.dir=" + out,
                                    "--set",
                                    "parallelism=1",
                                    // Tracked, one camera keeps up with 30 fps on 2 cores (0
                                    // dropped); embedding every face it cannot, which is the
                                    // overload this test needs.
                                    "--set",
                                    "track.mode=every-frame",
                                    "--set",
                                    "checkpoint.interval=2s",
                                    "--set",
                                    "console.status-interval=2s")
                            .redirectErrorStream(true)
                            .redirectOutput(log.toFile())
                            .start();
            try {
                // Models load, the job starts, records flow; then 30 s of steady state (the
                // acceptance run in docs/reliability.md: -Dfacestream.live.seconds=180).
                waitFor(() -> lines(out.resolve("identities.jsonl")) >= 20, 180, p, log);
                Thread.sleep(1_000L * Integer.getInteger("facestream.live.seconds", 30));
                assertThat(p.isAlive()).as(Files.readString(log)).isTrue();
                long t0 = System.nanoTime();
                p.destroy(); // SIGTERM
                boolean exited = p.waitFor(30, TimeUnit.SECONDS);
                long stopMs = (System.nanoTime() - t0) / 1_000_000;
                String console = Files.readString(log);
                System.out.println(console);
                System.out.printf("SIGTERM to exit: %d ms%n", stopMs);
                assertThat(exited).as("exited after SIGTERM").isTrue();
                assertThat(p.exitValue()).as("exit code after a clean stop").isZero();
                assertThat(stopMs).as("SIGTERM to exit, ms").isLessThan(10_000);
                assertConsole(console);
            } finally {
                p.destroyForcibly();
            }
        }
        assertOutputsComplete(out);
    }

    @Test
    void exitsNonZeroWhenItsOnlyCameraGaveUp() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        try (LocalRedis redis = LocalRedis.start()) {
            JobTestSupportAccess.enrolPeople(redis.url(), "people");
            Cli run =
                    Cli.run(
                            "run",
                            "--set",
                            "source.uris=gate=rtsp://127.0.0.1:" + port + "/cam",
                            "--set",
                            "source.max-reconnects=1",
                            "--set",
                            "redis.url=" + redis.url(),
                            "--set",
                            "gallery.name=people",
                            "--set",
                            "output.dir=" + tmp.resolve("out"),
                            "--set",
                            "parallelism=1");
            System.out.println(run.err());
            assertThat(run.rc()).as(run.err()).isEqualTo(3);
            assertThat(run.err()).contains("every live source gave up");
            assertThat(Files.readString(tmp.resolve("out/dead-letters.jsonl")))
                    .contains("CameraUnreachable");
        }
    }

    private static void assertConsole(String console) {
        Matcher m = STATUS.matcher(console);
        long lastIn = 0;
        long lastDropped = 0;
        double lastLag = -1;
        int lines = 0;
        while (m.find()) {
            lines++;
            lastIn = Long.parseLong(m.group(1));
            lastDropped = Long.parseLong(m.group(3));
            lastLag = Double.parseDouble(m.group(4));
        }
        System.out.printf(
                "status lines %d; last: in %d, dropped %d, lag %.1f s%n",
                lines, lastIn, lastDropped, lastLag);
        assertThat(lines).as("a status line every 2 s").isGreaterThanOrEqualTo(10);
        assertThat(lastDropped).as("frames dropped at 30 fps on this machine").isPositive();
        assertThat(lastLag).as("lag at the end of the job, s").isBetween(0.0, 5.0);
        assertThat(console).as("FFmpeg's own lines stay out of the console").doesNotContain("@ 0x");
        assertThat(console).as("the drop warning").contains("the job is slower than the camera");
        assertThat(console).contains("SIGTERM: stopping the job cleanly", "stopped by SIGTERM");
    }

    private static void assertOutputsComplete(Path out) throws IOException {
        ObjectMapper json = new ObjectMapper();
        for (String name : List.of("identities.jsonl", "appearances.jsonl", "dead-letters.jsonl")) {
            Path f = out.resolve(name);
            assertThat(f).exists();
            String text = Files.readString(f);
            assertThat(text.isEmpty() || text.endsWith("\n")).as(name + " ends a line").isTrue();
            for (String line : text.lines().toList()) {
                json.readTree(line); // throws on a half line
            }
        }
        long avro = 0;
        try (DataFileReader<FaceIdentity> r =
                new DataFileReader<>(
                        out.resolve("identities.avro").toFile(),
                        new SpecificDatumReader<>(FaceIdentity.class))) {
            while (r.hasNext()) {
                r.next();
                avro++;
            }
        }
        assertThat(avro).isEqualTo(lines(out.resolve("identities.jsonl")));
        long frames = 0;
        try (FFmpegFrameGrabber g =
                new FFmpegFrameGrabber(out.resolve("annotated/door.mp4").toFile())) {
            g.start();
            while (g.grabImage() != null) {
                frames++;
            }
        }
        System.out.printf("outputs: %d identities, %d MP4 frames decoded%n", avro, frames);
        assertThat(frames).as("MP4 frames decoded to the end").isGreaterThan(100);
    }

    private static long lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file).size() : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static void waitFor(
            java.util.function.BooleanSupplier done, int seconds, Process p, Path log)
            throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!done.getAsBoolean()) {
            if (!p.isAlive() || System.nanoTime() > end) {
                throw new AssertionError("no records from the live run: " + Files.readString(log));
            }
            Thread.sleep(500);
        }
    }

    /** A manifest-only jar naming this JVM's classpath (the forked command line stays short). */
    static Path pathingJar(Path jar) throws IOException {
        StringBuilder urls = new StringBuilder();
        for (String entry :
                System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (!entry.isBlank()) {
                urls.append(Path.of(entry).toAbsolutePath().toUri()).append(' ');
            }
        }
        java.util.jar.Manifest m = new java.util.jar.Manifest();
        m.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(java.util.jar.Attributes.Name.CLASS_PATH, urls.toString().trim());
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar), m)) {
            // the manifest is the whole jar
        }
        return jar;
    }
}
