package io.facestream.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.facestream.flink.DetectAlignFunction;
import io.facestream.hailo.HailoExternalResourceDriverFactory;
import io.facestream.job.deploy.ExternalResourceMiniCluster;
import io.facestream.schema.FaceIdentity;
import io.facestream.testing.LocalRedis;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.resources.ExternalResource;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.executiongraph.AccessExecutionJobVertex;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.runtime.jobmanager.scheduler.NoResourceAvailableException;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.testutils.logging.LoggerAuditingExtension;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

/**
 * The job with {@code detect.accelerator=hailo} (fine-grained resources) on a MiniCluster with a
 * plain TaskManager and a TaskManager {@code tm-hailo} that declares {@code hailo: 1} and lists a
 * fake {@code hailo0} through the project's driver, loaded as a plugin (see {@link
 * ExternalResourceMiniCluster} for why MiniCluster's own TaskManagers cannot offer a device). The
 * sample clip is sampled (every 10th frame) to keep the run short; the gallery is {@code
 * people/gallery} in a real Redis 8.
 */
class HailoMiniClusterITCase {
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(5);

    @RegisterExtension
    final LoggerAuditingExtension detectLog =
            new LoggerAuditingExtension(DetectAlignFunction.class, Level.INFO);

    @TempDir Path tmp;

    static LocalRedis redis;

    @BeforeAll
    static void enrol() {
        redis = LocalRedis.start();
        JobTestSupport.enrolPeople(redis.url(), "people");
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void runsDetectionOnTheHailoTaskManagerWithTheDeviceItsDriverListed() throws Exception {
        Path device =
                Files.createFile(Files.createDirectories(tmp.resolve("dev")).resolve("hailo0"));
        Path out = tmp.resolve("out");
        JobGraph job = jobGraph(out);
        assertThat(hailoAmount(vertex(job)))
                .as("the detect group's resource spec asks for one hailo device")
                .isEqualTo(1);

        long t0 = System.nanoTime();
        try (ExternalResourceMiniCluster cluster =
                ExternalResourceMiniCluster.create(clusterConfig(Duration.ofMinutes(1)), 1)) {
            cluster.start();
            cluster.startTaskManager(
                    "tm-hailo",
                    hailoConfig(tmp.resolve("dev/hailo*")),
                    plugins(),
                    tmp.resolve("tm"));
            JobID id = cluster.submitJob(job).get().getJobID();
            // Throws with the job's failure cause unless it finished.
            result(cluster, id).toJobExecutionResult(getClass().getClassLoader());

            AccessExecutionJobVertex detect =
                    cluster.getArchivedExecutionGraph(id).get().getAllVertices().values().stream()
                            .filter(v -> v.getName().contains("detect-align"))
                            .findFirst()
                            .orElseThrow();
            for (AccessExecutionVertex subtask : detect.getTaskVertices()) {
                assertThat(subtask.getCurrentAssignedResourceLocation().getResourceID())
                        .hasToString("tm-hailo");
            }
            assertThat(cluster.fatalErrors()).isEmpty();
        }
        System.out.printf(
                "hailo MiniCluster run (every 10th frame) took %d ms%n",
                (System.nanoTime() - t0) / 1_000_000);

        // The device path reaches the operator only through the driver, which listed the folder.
        // (The driver's own log line is not captured here: the plugin's class loader gets a Log4j
        // context of its own.)
        assertThat(detectLog.getMessages())
                .contains(
                        "detect subtask 0 uses hailo device "
                                + device
                                + " (inference on ONNX Runtime)");
        Map<String, Long> matched =
                JobTestSupport.matchedCounts(readIdentities(out.resolve("identities.avro")));
        System.out.println("hailo MiniCluster run: matched faces per identity " + matched);
        assertThat(matched)
                .containsKey("lin_manuel_miranda")
                .doesNotContainKeys("biden", "kit_harington", "rose_leslie");
        assertThat(matched.get("lin_manuel_miranda")).isGreaterThanOrEqualTo(10);
    }

    /**
     * Flink's standalone ResourceManager cannot create a TaskManager with the device: the slot
     * request of the detect group stays pending until {@code slot.request.timeout}, then the job
     * fails for want of resources.
     */
    @Test
    void failsForWantOfResourcesWhenNoTaskManagerDeclaresHailo() throws Exception {
        Duration slotTimeout = Duration.ofSeconds(5);
        try (MiniCluster cluster = plainMiniCluster(clusterConfig(slotTimeout))) {
            cluster.start();
            JobID id = cluster.submitJob(jobGraph(tmp.resolve("out"))).get().getJobID();
            Throwable failure = failure(result(cluster, id));

            assertThat(ExceptionUtils.findThrowable(failure, NoResourceAvailableException.class))
                    .as(ExceptionUtils.stringifyException(failure))
                    .hasValueSatisfying(
                            e ->
                                    assertThat(e)
                                            .hasMessageContaining(
                                                    "Could not acquire the minimum required"
                                                            + " resources"));
        }
        assertThat(detectLog.getMessages()).noneMatch(m -> m.contains("uses hailo device"));
    }

    /**
     * MiniCluster's own TaskManagers declare {@code hailo: 1} when the configuration names the
     * resource, so the detect group is placed there, but they load no driver: the operator finds no
     * device and fails the job with a message that says what is missing.
     */
    @Test
    void failsOnAMiniClusterTaskManagerThatDeclaresHailoButLoadsNoDriver() throws Exception {
        Files.createFile(Files.createDirectories(tmp.resolve("dev")).resolve("hailo0"));
        Configuration config = clusterConfig(Duration.ofMinutes(1));
        config.addAll(hailoConfig(tmp.resolve("dev/hailo*")));
        try (MiniCluster cluster = plainMiniCluster(config)) {
            cluster.start();
            JobID id = cluster.submitJob(jobGraph(tmp.resolve("out"))).get().getJobID();
            Throwable failure = failure(result(cluster, id));

            assertThat(ExceptionUtils.findThrowable(failure, IllegalStateException.class))
                    .as(ExceptionUtils.stringifyException(failure))
                    .hasValueSatisfying(
                            e ->
                                    assertThat(e)
                                            .hasMessageContaining(
                                                    "detect.accelerator=hailo but this TaskManager"
                                                            + " offers no such external resource"));
        }
    }

    /** The production wiring from configuration: video source, graph, file sinks. */
    private static JobGraph jobGraph(Path out) {
        JobConfig cfg =
                JobConfig.load(
                        null,
                        List.of(
                                "source.uris=hamilton=" + JobTestSupport.CLIP,
                                "source.every-nth=10",
                                "redis.url=" + redis.url(),
                                "gallery.name=people",
                                "detect.accelerator=hailo",
                                "parallelism=1",
                                "checkpoint.interval=2s",
                                "output.dir=" + out));
        Configuration c = new Configuration();
        c.set(PipelineOptions.GENERIC_TYPES, false);
        c.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = new StreamExecutionEnvironment(c);
        FacestreamJob.configure(env, cfg);
        FacestreamJob.wire(env, cfg);
        return env.getStreamGraph().getJobGraph();
    }

    private static JobVertex vertex(JobGraph job) {
        for (JobVertex v : job.getVertices()) {
            if (v.getName().contains("detect-align")) {
                return v;
            }
        }
        throw new AssertionError("no detect-align vertex in " + job);
    }

    private static int hailoAmount(JobVertex v) {
        ExternalResource hailo =
                v.getSlotSharingGroup().getResourceProfile().getExtendedResources().get("hailo");
        return hailo == null ? 0 : hailo.getValue().intValueExact();
    }

    private static Configuration clusterConfig(Duration slotRequestTimeout) {
        // No switch for fine-grained resource management: Flink 2.x dropped
        // cluster.fine-grained-resource-management.enabled, its FineGrainedSlotManager is the only
        // slot manager and always honours the groups' resource specs, external resources included.
        Configuration c = new Configuration();
        c.set(JobManagerOptions.SLOT_REQUEST_TIMEOUT, slotRequestTimeout);
        return c;
    }

    /** What deploy/flink/hailo-taskmanager.yaml adds for a TaskManager with Hailo devices. */
    private static Configuration hailoConfig(Path devicePattern) {
        return Configuration.fromMap(
                Map.of(
                        "external-resources",
                        "hailo",
                        "external-resource.hailo.amount",
                        "1",
                        "external-resource.hailo.driver-factory.class",
                        HailoExternalResourceDriverFactory.class.getName(),
                        "external-resource.hailo.param.device-pattern",
                        devicePattern.toString()));
    }

    private static MiniCluster plainMiniCluster(Configuration config) {
        return new MiniCluster(
                new MiniClusterConfiguration.Builder()
                        .setConfiguration(config)
                        .setNumTaskManagers(1)
                        .setNumSlotsPerTaskManager(8)
                        .withRandomPorts()
                        .build());
    }

    /** A plugins folder with the hailo plugin, as a TaskManager's FLINK_PLUGINS_DIR holds it. */
    private Path plugins() throws Exception {
        Path plugin = Files.createDirectories(tmp.resolve("plugins/hailo"));
        Path built =
                Path.of(
                        HailoExternalResourceDriverFactory.class
                                .getProtectionDomain()
                                .getCodeSource()
                                .getLocation()
                                .toURI());
        Path jar = plugin.resolve("facestream-hailo-plugin.jar");
        if (Files.isDirectory(built)) { // a reactor build before `package`: its classes folder
            jarFolder(built, jar);
        } else {
            Files.copy(built, jar);
        }
        return plugin.getParent();
    }

    private static void jarFolder(Path folder, Path jar) throws IOException {
        try (OutputStream os = Files.newOutputStream(jar);
                JarOutputStream out = new JarOutputStream(os);
                Stream<Path> files = Files.walk(folder)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(folder.relativize(f).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(f));
                out.closeEntry();
            }
        }
    }

    private static JobResult result(MiniCluster cluster, JobID id) throws Exception {
        return cluster.requestJobResult(id).get(JOB_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    private Throwable failure(JobResult result) {
        assertThat(result.isSuccess()).as("the job must fail").isFalse();
        return result.getSerializedThrowable()
                .orElseThrow()
                .deserializeError(getClass().getClassLoader());
    }

    private static List<FaceIdentity> readIdentities(Path avro) throws IOException {
        List<FaceIdentity> ids = new ArrayList<>();
        try (DataFileReader<FaceIdentity> reader =
                new DataFileReader<>(
                        avro.toFile(), new SpecificDatumReader<>(FaceIdentity.class))) {
            reader.forEach(ids::add);
        }
        return ids;
    }
}
