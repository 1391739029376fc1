package io.facestream.job.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.facestream.cli.FacestreamCli;
import io.facestream.job.JobTestSupportAccess;
import io.facestream.testing.LocalRedis;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guards the ONNX Runtime pin (1.28.0, see the parent pom): ONNX Runtime 1.29.0 starts a telemetry
 * client in {@code OrtEnvironment.getEnvironment()} that crashes the JVM (SIGSEGV, exit 139, no
 * error file) once {@code /proc/self/cmdline} is longer than about 3.9 KB, and leaves a {@code
 * mat-debug-<pid>.log} in the temp folder. Here {@code identify} runs in a JVM of its own whose
 * command line spells out the whole classpath and 300 image paths (well over 8 KB): it must name
 * the faces of all 300 images and leave no {@code mat-debug-*} file behind. An upgrade that brings
 * either back fails this test.
 */
class OnnxRuntimePinITCase {
    static final Path DATA = NoOutputITCase.DATA;

    @TempDir Path tmp;

    @Test
    void identifiesThreeHundredImagesNamedOnOneLongCommandLine() throws Exception {
        Path tmpdir = Files.createDirectories(tmp.resolve("tmpdir"));
        List<Path> images = threeHundredImages(Files.createDirectories(tmp.resolve("images")));
        try {
            runIdentify(images, tmpdir);
        } finally {
            for (Path link : images) {
                // JUnit warns about every link to a file outside its temp dir that it deletes
                Files.deleteIfExists(link);
            }
        }
    }

    private void runIdentify(List<Path> images, Path tmpdir) throws Exception {
        Path json = tmp.resolve("identities.json");
        Path log = tmp.resolve("fork.log");
        List<String> systemTmpBefore = matDebugFiles(Path.of(System.getProperty("java.io.tmpdir")));
        try (LocalRedis redis = LocalRedis.start()) {
            JobTestSupportAccess.enrolPeople(redis.url(), "people");
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.add("-Xmx1g");
            cmd.add("-Djava.io.tmpdir=" + tmpdir);
            cmd.add("-cp");
            // The classpath on the command line itself, not in a pathing jar: it is part of what
            // makes the line long, as on a task manager started with its jars listed.
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(
                    "-Dfacestream.project.root="
                            + Path.of(System.getProperty("facestream.project.root", ".."))
                                    .toAbsolutePath()
                                    .normalize());
            cmd.add(FacestreamCli.class.getName());
            cmd.addAll(
                    List.of(
                            "identify",
                            "--redis",
                            redis.url(),
                            "-g",
                            "people",
                            "--json",
                            "" + json));
            images.forEach(p -> cmd.add(p.toString()));
            int length =
                    cmd.stream().mapToInt(s -> s.getBytes(StandardCharsets.UTF_8).length + 1).sum();
            assertThat(length).as("command line bytes").isGreaterThan(8 * 1024);

            Process p =
                    new ProcessBuilder(cmd)
                            .directory(tmp.toFile())
                            .redirectErrorStream(true)
                            .redirectOutput(log.toFile())
                            .start();
            boolean done = p.waitFor(300, TimeUnit.SECONDS);
            if (!done) {
                p.destroyForcibly();
            }
            String out = Files.readString(log);
            System.out.println(out.length() > 4000 ? out.substring(out.length() - 4000) : out);
            assertThat(done).as("identify finished").isTrue();
            assertThat(p.exitValue())
                    .as("exit code (139 = the JVM crashed, as with ONNX Runtime 1.29.0)")
                    .isZero();
        }
        JsonNode results = new ObjectMapper().readTree(json.toFile());
        assertThat(results).hasSize(images.size());
        List<String> named = new ArrayList<>();
        results.forEach(
                img -> img.get("faces").forEach(f -> named.add(f.path("identity").asText())));
        assertThat(named).contains("obama", "biden", "kit_harington");
        assertThat(matDebugFiles(tmpdir)).as("mat-debug files in the run's temp folder").isEmpty();
        assertThat(matDebugFiles(Path.of(System.getProperty("java.io.tmpdir"))))
                .as("mat-debug files in the system temp folder")
                .isSubsetOf(systemTmpBefore);
    }

    /** 300 links with long names to the people gallery photos (cycled). */
    private static List<Path> threeHundredImages(Path dir) throws IOException {
        List<Path> photos;
        try (Stream<Path> s = Files.walk(DATA.resolve("people/gallery"))) {
            photos = s.filter(f -> f.toString().endsWith(".jpg")).sorted().toList();
        }
        assertThat(photos).isNotEmpty();
        List<Path> links = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Path photo = photos.get(i % photos.size());
            Path link =
                    dir.resolve(String.format("image-%03d-%s", i, photo.getFileName().toString()));
            Files.createSymbolicLink(link, photo.toAbsolutePath());
            links.add(link);
        }
        return links;
    }

    private static List<String> matDebugFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(f -> f.getFileName().toString())
                    .filter(n -> n.startsWith("mat-debug-"))
                    .sorted()
                    .toList();
        } catch (java.nio.file.NoSuchFileException e) {
            return List.of();
        }
    }
}
