package io.facestream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateTempDirTest {
    @TempDir Path system;

    @Test
    void removesPrivateFoldersOfProcessesThatAreGoneAndNothingElse() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path orphan = Files.createDirectories(system.resolve("facestream-" + gone.pid() + "-42/x"));
        Path mine =
                Files.createDirectory(
                        system.resolve("facestream-" + ProcessHandle.current().pid() + "-7"));
        Path notOurs = Files.createDirectory(system.resolve("facestream-redis12345"));
        PrivateTempDir.removeOrphans(system);
        assertThat(orphan.getParent()).doesNotExist();
        assertThat(mine).exists();
        assertThat(notOurs).exists();
    }

    /** ONNX Runtime leaves its extracted libraries in the JDK's temp folder; they are found. */
    @Test
    void findsTheFolderOnnxRuntimeLoadedItsNativeLibrariesFrom() throws Exception {
        OrtEnvironment.getEnvironment();
        Path jdkTemp = Path.of(System.getProperty("java.io.tmpdir"));
        assertThat(PrivateTempDir.extractedNativeLibraries(jdkTemp))
                .singleElement()
                .satisfies(
                        d -> {
                            assertThat(d.getFileName().toString()).startsWith("onnxruntime-java");
                            assertThat(d.resolve("libonnxruntime.so")).exists();
                        });
        assertThat(PrivateTempDir.extractedNativeLibraries(system)).isEmpty();
    }
}
