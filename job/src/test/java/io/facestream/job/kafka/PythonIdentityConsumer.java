package io.facestream.job.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code examples/python/consume_identities.py} with Debian's {@code /usr/bin/python3} and
 * returns the records it printed. Debian's interpreter and packages ({@code
 * python3-confluent-kafka}, {@code python3-requests}, {@code python3-avro}, installed by {@code
 * scripts/test.sh}) missing is a test failure saying how to install them, never a skip.
 */
final class PythonIdentityConsumer {
    static final Path PYTHON = Path.of("/usr/bin/python3");
    static final Path SCRIPT =
            Path.of(System.getProperty("facestream.project.root", ".."))
                    .resolve("examples/python/consume_identities.py")
                    .toAbsolutePath()
                    .normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    private PythonIdentityConsumer() {}

    /** Fails unless Debian's interpreter imports every package the consumer needs. */
    static void assertInstalled() throws Exception {
        assertThat(PYTHON)
                .as("Debian's python3 (apt-get install python3; scripts/test.sh does)")
                .isExecutable();
        Result r = run(List.of(PYTHON.toString(), "-c", "import confluent_kafka, requests, avro"));
        assertThat(r.exit())
                .as(
                        "Debian's python3-confluent-kafka, python3-requests and python3-avro"
                                + " (apt-get install python3-confluent-kafka python3-requests"
                                + " python3-avro; scripts/test.sh does):\n%s",
                        r.stderr())
                .isZero();
    }

    /** The script's stdout lines as JSON, after it read the topic to its end and went idle. */
    static List<JsonNode> consume(List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(PYTHON.toString(), SCRIPT.toString()));
        cmd.addAll(args);
        Result r = run(cmd);
        assertThat(r.exit()).as("%s failed:\n%s", SCRIPT, r.stderr()).isZero();
        System.out.println("python consumer: " + r.stderr().strip());
        List<JsonNode> out = new ArrayList<>();
        for (String line : r.stdout().split("\n")) {
            if (!line.isBlank()) {
                out.add(JSON.readTree(line));
            }
        }
        return out;
    }

    record Result(int exit, String stdout, String stderr) {}

    private static Result run(List<String> cmd) throws IOException, InterruptedException {
        Path out = Files.createTempFile("python-consumer", ".out");
        Path err = Files.createTempFile("python-consumer", ".err");
        try {
            // Both streams to files: a full pipe cannot stall the process, and the time limit
            // holds whatever it does.
            Process p =
                    new ProcessBuilder(cmd)
                            .redirectOutput(out.toFile())
                            .redirectError(err.toFile())
                            .start();
            p.getOutputStream().close();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError(cmd + " did not end in 120 s:\n" + Files.readString(err));
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
