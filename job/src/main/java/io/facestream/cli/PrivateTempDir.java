package io.facestream.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The CLI process's own temporary folder: {@code facestream-<pid>-<random>} inside the system one,
 * made {@code java.io.tmpdir} for the rest of the process and deleted when the JVM exits, normally
 * or on SIGINT/SIGTERM (a shutdown hook). Flink's MiniCluster reads the property when it starts
 * ({@code io.tmp.dirs}, {@code web.tmpdir} and the blob store default to it; its RPC system unpacks
 * a 21 MB {@code flink-rpc-akka*.jar} there), so its files land in the private folder.
 *
 * <p>The JDK's own temp-file methods ({@code Files.createTempDirectory}) keep the folder the JVM
 * started with, whatever the property says later. ONNX Runtime extracts its native libraries with
 * them, into {@code onnxruntime-java<random>}, and leaves them there: the same hook deletes the
 * folder this process loaded them from (found in {@code /proc/self/maps}). A JVM killed with
 * SIGKILL cannot clean up; the next run deletes private folders whose process is gone.
 */
final class PrivateTempDir {
    private static final String PREFIX = "facestream-";

    private PrivateTempDir() {}

    /**
     * Creates the folder, points {@code java.io.tmpdir} at it and arranges its deletion; returns
     * it, or the system folder where it cannot be created.
     */
    static Path install() {
        Path system = Path.of(System.getProperty("java.io.tmpdir"));
        removeOrphans(system);
        // Not Files.createTempDirectory: that would fix the JDK's temp folder to the system one.
        Path dir =
                system.resolve(
                        PREFIX
                                + ProcessHandle.current().pid()
                                + "-"
                                + Long.toUnsignedString(new SecureRandom().nextLong()));
        try {
            Files.createDirectory(
                    dir,
                    PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            // Not worth refusing to run over: the files then go where they always went.
            System.err.println(
                    "facestream: no private temporary folder in " + system + " (" + e + ")");
            return system;
        }
        System.setProperty("java.io.tmpdir", dir.toString());
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    delete(dir);
                                    extractedNativeLibraries(system)
                                            .forEach(PrivateTempDir::delete);
                                },
                                "facestream-tmp-cleanup"));
        return dir;
    }

    /**
     * Folders in {@code system} that ONNX Runtime extracted native libraries into and this process
     * mapped: each {@code onnxruntime-java*} folder named in {@code /proc/self/maps}.
     */
    static Set<Path> extractedNativeLibraries(Path system) {
        Set<Path> dirs = new HashSet<>();
        try {
            Path root = system.toRealPath(); // the kernel names mapped files by their real path
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                int slash = line.indexOf('/');
                if (slash < 0) {
                    continue;
                }
                Path lib = Path.of(line.substring(slash).replace(" (deleted)", ""));
                Path parent = lib.getParent();
                if (parent != null
                        && root.equals(parent.getParent())
                        && parent.getFileName().toString().startsWith("onnxruntime-java")) {
                    dirs.add(parent);
                }
            }
        } catch (IOException | RuntimeException notLinux) {
            // No /proc (not Linux), or an odd line: nothing found is the safe answer.
        }
        return dirs;
    }

    /** Folders of earlier runs that died without their shutdown hook (SIGKILL, a crash). */
    static void removeOrphans(Path system) {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(system, PREFIX + "*")) {
            for (Path d : dirs) {
                String[] parts = d.getFileName().toString().split("-");
                if (d.getFileName().toString().matches(PREFIX + "\\d+-\\d+")
                        && Files.isDirectory(d)
                        && !alive(parts[1])) {
                    delete(d);
                }
            }
        } catch (IOException | SecurityException | NumberFormatException e) {
            // Best effort: an unreadable system temp folder is not this run's problem.
        }
    }

    private static boolean alive(String pid) {
        return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * Deletes the tree; other shutdown hooks (Flink's, ONNX Runtime's) may still be writing into it
     * while this runs, so it goes over the tree a few times.
     */
    static void delete(Path dir) {
        for (int pass = 0; pass < 5 && Files.exists(dir); pass++) {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | UncheckedIOException raced) {
                // A file vanished under the walk: go over it again.
            }
            if (Files.exists(dir)) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
