package io.facestream.testing;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A {@code main} run in a JVM of its own with this JVM's classpath: its working directory and
 * {@code java.io.tmpdir} are folders the test chose, stdout and stderr go to one log file. For what
 * a process leaves behind (files, sockets, log lines), which a test JVM shared with other tests
 * cannot show.
 *
 * @param workDir the working directory
 * @param tmpdir its {@code java.io.tmpdir}
 * @param log where stdout and stderr go
 * @param process the running JVM
 */
public record ForkedJvm(Path workDir, Path tmpdir, Path log, Process process) {
    /** The project root the tests run from (the {@code facestream.project.root} property). */
    public static Path projectRoot() {
        return Path.of(System.getProperty("facestream.project.root", ".."))
                .toAbsolutePath()
                .normalize();
    }

    /**
     * Starts {@code main} with {@code args} under {@code scratch} (which gets {@code work/}, {@code
     * tmpdir/}, {@code fork.log} and the pathing jar), with 1 GB heap and {@code jvmOptions}.
     */
    public static ForkedJvm start(
            Path scratch, List<String> jvmOptions, Class<?> main, String... args)
            throws IOException {
        Path work = Files.createDirectories(scratch.resolve("work"));
        Path tmpdir = Files.createDirectories(scratch.resolve("tmpdir"));
        Path log = scratch.resolve("fork.log");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(
                List.of(
                        "-Xmx1g",
                        "-cp",
                        pathingJar(scratch.resolve("classpath.jar")).toString(),
                        "-Djava.io.tmpdir=" + tmpdir,
                        "-Dfacestream.project.root=" + projectRoot()));
        cmd.addAll(jvmOptions);
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        Process p =
                new ProcessBuilder(cmd)
                        .directory(work.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        return new ForkedJvm(work, tmpdir, log, p);
    }

    /** What the JVM printed so far. */
    public String output() throws IOException {
        return Files.readString(log);
    }

    /**
     * A manifest-only jar naming this JVM's classpath, so that the forked command line stays short
     * (ONNX Runtime 1.29's native initialisation crashed JVMs whose command line exceeded about 4
     * KB; a long classpath is also unreadable in a process listing).
     */
    public static Path pathingJar(Path jar) throws IOException {
        StringBuilder urls = new StringBuilder();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                urls.append(Path.of(entry).toAbsolutePath().toUri()).append(' ');
            }
        }
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.CLASS_PATH, urls.toString().trim());
        try (OutputStream out = new JarOutputStream(Files.newOutputStream(jar), m)) {
            // the manifest is the whole jar
        }
        return jar;
    }
}
