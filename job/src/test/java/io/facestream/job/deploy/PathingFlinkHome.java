package io.facestream.job.deploy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A Flink home for {@code scripts/flink-cluster.sh} ({@code FACESTREAM_FLINK_HOME}) whose {@code
 * lib/} holds a single manifest-only jar naming the jars of the script's own {@code lib/}: the same
 * classes, with a short {@code -classpath}.
 *
 * <p>Why: ONNX Runtime 1.29's native initialisation crashes the JVM (SIGSEGV, no hs_err file) when
 * the process command line ({@code /proc/self/cmdline}) exceeds about 4000 bytes; the size of the
 * environment or of {@code java.class.path} alone does not matter. A TaskManager started by the
 * script with the 46 jars of {@code lib/} on its {@code -classpath} has a command line of about 5
 * KB, so both TaskManagers died the moment the job opened its models. Remove this class once the
 * script shortens the command line itself.
 */
final class PathingFlinkHome {
    private PathingFlinkHome() {}

    /** Creates (or refreshes) the home under {@code home} and returns it. */
    static Path create(Path projectRoot, Path home) throws IOException, InterruptedException {
        Path lib = flinkLib(projectRoot);
        List<String> urls = new ArrayList<>();
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(lib, "*.jar")) {
            for (Path jar : jars) {
                urls.add(jar.toUri().toString());
            }
        }
        if (urls.isEmpty()) {
            throw new IllegalStateException("no Flink jars in " + lib);
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", urls));
        Path pathLib = Files.createDirectories(home.resolve("lib"));
        try (OutputStream out = Files.newOutputStream(pathLib.resolve("flink-classpath.jar"));
                JarOutputStream jar = new JarOutputStream(out, manifest)) {
            // a manifest and nothing else
        }
        Files.writeString(pathLib.resolve(".complete"), ""); // the script's "lib/ is resolved"
        return home;
    }

    /** {@code flink-cluster.sh lib}: resolves Flink's jars from Maven Central once, prints lib/. */
    private static Path flinkLib(Path projectRoot) throws IOException, InterruptedException {
        Process p =
                new ProcessBuilder(
                                "bash",
                                projectRoot.resolve("scripts/flink-cluster.sh").toString(),
                                "lib")
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroy();
            throw new IllegalStateException("flink-cluster.sh lib failed: " + out);
        }
        return Path.of(out);
    }
}
