package io.facestream.job.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.facestream.job.JobTestSupportAccess;
import io.facestream.schema.FaceIdentity;
import io.facestream.testing.LocalRedis;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.flink.util.FileUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Deployment as a data engineer does it: a standalone Flink 2.2.1 session cluster started by {@code
 * scripts/flink-cluster.sh} from the Flink jars on Maven Central (a JobManager and two TaskManager
 * JVMs, {@code tm-hailo} declaring the {@code hailo} resource through the project's plugin and a
 * fake device), the shaded job jar submitted with Flink's CLI ({@code flink run -c
 * io.facestream.job.FacestreamJob facestream-job.jar --config FILE}) to process the sample clip
 * against a real Redis 8 gallery of {@code people/gallery}, its detect group placed on {@code
 * tm-hailo}, and its identity records read back from the files it wrote.
 *
 * <p>Runs in Failsafe's {@code integration-test} phase, after {@code package} has built the jar; a
 * missing jar, clip, model folder or Redis fails the test, never skips it.
 */
class ClusterDeploymentIT {
    static final Path ROOT = FlinkClusterScript.projectRoot();
    static final Path JOB_JAR = ROOT.resolve("job/target/facestream-job.jar");
    static final Path MODELS = ROOT.resolve("../shared/models").normalize();
    static final int CLIP_FRAMES = 275;

    /**
     * The cluster's settings. Each TaskManager can hold all of the job's explicitly sized groups at
     * once (detect: 1 CPU, 512 MB heap, 256 MB off-heap; embed: 1 CPU, 512 + 128 MB; the rest: 0.5
     * CPU, 256 + 64 MB): Flink's slot manager places groups first-fit without keeping {@code
     * tm-hailo} for the group that needs its device, so a hailo TaskManager that only fits the
     * detect group gets filled by the others and detection is never scheduled. Task off-heap memory
     * defaults to 0 and managed memory, which no group asks for, to 40%. No restarts, so a failure
     * fails the test at once rather than after the wait's timeout.
     */
    static final Map<String, String> CLUSTER_ENV =
            Map.of(
                    "FLINK_TM_PROCESS_SIZE",
                    "3g",
                    "FLINK_CONF_EXTRA",
                    String.join(
                            "\n",
                            "taskmanager.memory.task.off-heap.size: 512m",
                            "taskmanager.memory.managed.size: 0m",
                            "restart-strategy.type: none",
                            "slot.request.timeout: 90s"));

    static Path work;
    static LocalRedis redis;
    static FlinkClusterScript cluster;

    @BeforeAll
    static void startRedisAndCluster() throws Exception {
        assertThat(JOB_JAR)
                .as("the shaded job jar, built by `mvn package` before Failsafe runs this test")
                .isRegularFile();
        assertThat(JobTestSupportAccess.CLIP).as("the sample clip").isRegularFile();
        assertThat(MODELS).as("the models folder").isDirectory();

        work = Path.of("target", "flink-cluster-it").toAbsolutePath();
        FileUtils.deleteDirectory(work.toFile());
        Files.createDirectories(work);

        redis = LocalRedis.start();
        JobTestSupportAccess.enrolPeople(redis.url(), "people");

        // The script's own Flink home, as a user gets it: its JVMs start with the short pathing
        // classpath that keeps ONNX Runtime's native start-up from crashing them.
        cluster = new FlinkClusterScript(ROOT, work.resolve("cluster"), CLUSTER_ENV);
        long t0 = System.nanoTime();
        int restPort = cluster.start();
        System.out.printf(
                "Flink session cluster up (REST port %d) in %d ms%n", restPort, millisSince(t0));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            if (redis != null) {
                redis.close();
            }
        }
    }

    @Test
    void runsTheJobJarWithDetectionOnTheHailoTaskManagerAndIdentifiesTheCast() throws Exception {
        Path out = work.resolve("out");
        Path config = writeJobConfig(out);

        long t0 = System.nanoTime();
        String jobId =
                cluster.submit(
                        "-c",
                        "io.facestream.job.FacestreamJob",
                        JOB_JAR.toString(),
                        "--config",
                        config.toString());
        long submitted = System.nanoTime();
        cluster.awaitFinished(jobId, Duration.ofMinutes(5));
        System.out.printf(
                "job jar (%d MB) submitted with flink run in %d ms, job %s FINISHED %d ms later%n",
                Files.size(JOB_JAR) >> 20,
                (submitted - t0) / 1_000_000,
                jobId,
                millisSince(submitted));

        assertThat(taskManagersOf(jobId, "detect-align")).containsOnly("tm-hailo");

        String device = cluster.dir().resolve("dev/hailo0").toString();
        assertThat(cluster.log("taskmanager-hailo"))
                .contains("Hailo devices matching '" + cluster.dir().resolve("dev") + "/hailo*'")
                .contains("detect subtask 0 uses hailo device " + device);
        assertThat(cluster.log("taskmanager-plain")).doesNotContain("uses hailo device");

        Map<String, Long> matched = matchedCounts(out.resolve("identities.jsonl"));
        System.out.println("flink run on the session cluster: matched faces " + matched);
        assertThat(matched).containsKey("lin_manuel_miranda");

        List<FaceIdentity> ids = readAvro(out.resolve("identities.avro"));
        JobTestSupportAccess.printSummary("flink run on the session cluster", ids, CLIP_FRAMES);
        JobTestSupportAccess.assertHamiltonIdentities(ids);
        assertThat(ids).hasSize(lines(out.resolve("identities.jsonl")));
        assertThat(out.resolve("annotated/hamilton.mp4")).isNotEmptyFile();
    }

    /**
     * The job's configuration file, as a data engineer writes it. Paths are absolute: the job's
     * main runs in the CLI's JVM, its tasks in the TaskManagers', all with other working folders.
     */
    private static Path writeJobConfig(Path out) throws IOException {
        Path file = work.resolve("facestream.yaml");
        Files.writeString(
                file,
                String.join(
                        "\n",
                        "source.uris: hamilton=" + JobTestSupportAccess.CLIP,
                        "redis.url: " + redis.url(),
                        "gallery.name: people",
                        "detect.accelerator: hailo",
                        "parallelism: 1",
                        "checkpoint.interval: 2s",
                        "models.dir: " + MODELS,
                        "output.dir: " + out,
                        ""));
        return file;
    }

    /** The resource ids of the TaskManagers that ran the subtasks of the vertex named so. */
    private static List<String> taskManagersOf(String jobId, String vertexName)
            throws IOException, InterruptedException {
        List<String> taskManagers = new ArrayList<>();
        for (JsonNode vertex : cluster.rest("/jobs/" + jobId).path("vertices")) {
            if (vertex.path("name").asText().contains(vertexName)) {
                String path = "/jobs/" + jobId + "/vertices/" + vertex.path("id").asText();
                for (JsonNode subtask : cluster.rest(path).path("subtasks")) {
                    taskManagers.add(subtask.path("taskmanager-id").asText());
                }
            }
        }
        assertThat(taskManagers).as("subtasks of " + vertexName).isNotEmpty();
        return taskManagers;
    }

    private static Map<String, Long> matchedCounts(Path jsonl) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> records = new ArrayList<>();
        for (String line : Files.readAllLines(jsonl)) {
            if (!line.isBlank()) {
                records.add(json.readTree(line));
            }
        }
        assertThat(records).as("identity records in " + jsonl).isNotEmpty();
        return records.stream()
                .filter(r -> "MATCHED".equals(r.path("status").asText()))
                .collect(
                        Collectors.groupingBy(
                                r -> r.path("identity").asText(),
                                TreeMap::new,
                                Collectors.counting()));
    }

    private static List<FaceIdentity> readAvro(Path file) throws IOException {
        List<FaceIdentity> ids = new ArrayList<>();
        try (DataFileReader<FaceIdentity> reader =
                new DataFileReader<>(
                        file.toFile(), new SpecificDatumReader<>(FaceIdentity.class))) {
            reader.forEach(ids::add);
        }
        return ids;
    }

    private static int lines(Path file) throws IOException {
        return (int) Files.readAllLines(file).stream().filter(l -> !l.isBlank()).count();
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
