package io.facestream.job.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.apache.flink.util.FileUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Deployment as a data engineer does it: a standalone Flink 2.2.1 session cluster started by {@code
 * scripts/flink-cluster.sh} from the Flink jars on Maven Central (a JobManager and two TaskManager
 * JVMs, one declaring the {@code hailo} resource through the project's plugin and a fake device), a
 * job jar submitted with Flink's CLI ({@code flink run}), and its detect group placed on the hailo
 * TaskManager.
 */
class ClusterDeploymentITCase {

    static FlinkClusterScript cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        Path dir = Path.of("target", "flink-cluster-it").toAbsolutePath();
        FileUtils.deleteDirectory(dir.toFile());
        cluster = new FlinkClusterScript(FlinkClusterScript.projectRoot(), dir.resolve("cluster"));
        long t0 = System.nanoTime();
        int restPort = cluster.start();
        System.out.printf(
                "Flink session cluster up (REST port %d) in %d ms%n",
                restPort, (System.nanoTime() - t0) / 1_000_000);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void runsTheDetectGroupOnTheHailoTaskManagerWithTheDeviceTheDriverListed() throws Exception {
        Path jar = probeJar(cluster.dir().resolveSibling("hailo-probe.jar"));

        long t0 = System.nanoTime();
        String jobId = cluster.submit("-c", HailoProbeJob.class.getName(), jar.toString());
        System.out.printf("submitted %s in %d ms%n", jobId, (System.nanoTime() - t0) / 1_000_000);
        cluster.awaitFinished(jobId, Duration.ofMinutes(2));

        String device = cluster.dir().resolve("dev/hailo0").toString();
        assertThat(cluster.log("taskmanager-hailo"))
                .contains("Hailo devices matching '" + cluster.dir().resolve("dev") + "/hailo*'")
                .contains(HailoProbeJob.MARKER + " subtask 0 uses hailo device path=" + device);
        assertThat(cluster.log("taskmanager-plain")).doesNotContain(HailoProbeJob.MARKER);
    }

    /** A job jar holding only the probe's classes (Flink itself comes from the cluster). */
    private static Path probeJar(Path jar) throws IOException, URISyntaxException {
        Path classes =
                Path.of(
                        HailoProbeJob.class
                                .getProtectionDomain()
                                .getCodeSource()
                                .getLocation()
                                .toURI());
        Path packageDir = classes.resolve(HailoProbeJob.class.getPackageName().replace('.', '/'));
        List<Path> classFiles;
        try (Stream<Path> files = Files.list(packageDir)) {
            classFiles =
                    files.filter(f -> f.getFileName().toString().startsWith("HailoProbeJob"))
                            .toList();
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
            for (Path classFile : classFiles) {
                jarOut.putNextEntry(
                        new JarEntry(classes.relativize(classFile).toString().replace('\\', '/')));
                jarOut.write(Files.readAllBytes(classFile));
                jarOut.closeEntry();
            }
        }
        return jar;
    }
}
