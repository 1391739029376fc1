package io.facestream.job.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Drives {@code scripts/flink-cluster.sh} for a test: a standalone Flink session cluster (one
 * JobManager, a plain TaskManager {@code tm-plain} and a TaskManager {@code tm-hailo} with the
 * hailo plugin and a fake device) in its own folder. Each call runs the script to completion and
 * returns what it printed on stdout; its stderr goes to {@code <dir>/log/script.err}. The script's
 * settings ({@code FLINK_TM_PROCESS_SIZE}, {@code FLINK_CONF_EXTRA}, ...) are passed as its
 * environment.
 */
final class FlinkClusterScript implements AutoCloseable {

    private final Path script;
    private final Path dir;
    private final Map<String, String> env;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    FlinkClusterScript(Path projectRoot, Path dir, Map<String, String> env) {
        this.script = projectRoot.resolve("scripts/flink-cluster.sh");
        this.dir = dir.toAbsolutePath();
        this.env = Map.copyOf(env);
    }

    /** The project root that surefire passes in, or the parent of the module folder. */
    static Path projectRoot() {
        String root = System.getProperty("facestream.project.root");
        return root != null ? Path.of(root) : Path.of("").toAbsolutePath().getParent();
    }

    Path dir() {
        return dir;
    }

    /** Starts the cluster and returns its REST port. */
    int start() throws IOException, InterruptedException {
        return Integer.parseInt(run(Duration.ofMinutes(5), "start"));
    }

    /** {@code flink run -d} with the given run options, jar and program arguments; the job id. */
    String submit(String... runArgs) throws IOException, InterruptedException {
        return run(Duration.ofMinutes(5), "submit", runArgs);
    }

    /** Waits until the job ends; fails unless it FINISHED. */
    void awaitFinished(String jobId, Duration timeout) throws IOException, InterruptedException {
        run(timeout.plusSeconds(30), "wait", jobId, Long.toString(timeout.toSeconds()));
    }

    /** The log of {@code jobmanager}, {@code taskmanager-plain} or {@code taskmanager-hailo}. */
    String log(String process) throws IOException {
        return Files.readString(dir.resolve("log").resolve(process + ".log"));
    }

    /** A GET of the cluster's REST API, e.g. {@code /jobs/<id>}; fails unless it answers 200. */
    JsonNode rest(String path) throws IOException, InterruptedException {
        int port = Integer.parseInt(Files.readString(dir.resolve("rest.port")).trim());
        HttpResponse<String> response =
                http.send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(
                    "GET " + path + ": HTTP " + response.statusCode() + " " + response.body());
        }
        return json.readTree(response.body());
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run(Duration.ofMinutes(1), "stop");
    }

    private String run(Duration timeout, String command, String... args)
            throws IOException, InterruptedException {
        List<String> commandLine = new ArrayList<>(List.of("bash", script.toString(), command));
        commandLine.add(dir.toString());
        commandLine.addAll(List.of(args));
        Files.createDirectories(dir.resolve("log"));
        Path stdout = Files.createTempFile(dir, command, ".stdout");
        ProcessBuilder builder = new ProcessBuilder(commandLine);
        builder.environment().putAll(env);
        Process process =
                builder.redirectOutput(stdout.toFile())
                        .redirectError(
                                ProcessBuilder.Redirect.appendTo(
                                        dir.resolve("log/script.err").toFile()))
                        .start();
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.destroy();
            throw new IllegalStateException(
                    "flink-cluster.sh " + command + " took over " + timeout + errTail());
        }
        String out = Files.readString(stdout, StandardCharsets.UTF_8).trim();
        Files.delete(stdout);
        if (process.exitValue() != 0) {
            throw new IllegalStateException(
                    "flink-cluster.sh "
                            + command
                            + " exited with "
                            + process.exitValue()
                            + errTail());
        }
        return out;
    }

    /** The end of the script's stderr, so a failure explains itself in the test report. */
    private String errTail() throws IOException {
        Path err = dir.resolve("log/script.err");
        String text = Files.readString(err);
        return "; the end of " + err + ":\n" + text.substring(Math.max(0, text.length() - 6000));
    }
}
