package io.facestream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.facestream.job.JobTestSupportAccess;
import io.facestream.testing.ForkedJvm;
import io.facestream.testing.LocalRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console of a local run, in a JVM of its own with the CLI's logging configuration: progress
 * and results only. Flink's INFO and WARN lines (the end-of-input checkpoint declines, the job's
 * state changes) and every stack trace go to {@code <out>/facestream.log}, whose path the run
 * prints; Log4j's own status warnings do not appear at all.
 */
class QuietConsoleITCase {
    /** A line of the console layout ({@code HH:mm:ss.SSS LEVEL logger - message}). */
    static final Pattern LOG_LINE =
            Pattern.compile("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (\\w+)\\s+(\\S+) - .*");

    static final Pattern STACK_FRAME = Pattern.compile("^\\s+at [\\w.$]+\\(.*\\)$");

    @TempDir Path tmp;

    @Test
    void printsProgressAndResultsAndSendsFlinkToTheLogFile() throws Exception {
        Path out = tmp.resolve("out");
        ForkedJvm run;
        try (LocalRedis redis = LocalRedis.start()) {
            JobTestSupportAccess.enrolPeople(redis.url(), "people");
            run =
                    ForkedJvm.start(
                            tmp.resolve("run"),
                            // the CLI's logging, not the tests' (first on the classpath)
                            List.of("-Dlog4j2.configurationFile=log4j2.properties"),
                            FacestreamCli.class,
                            "run",
                            "--set",
                            "source.uris=hamilton=" + JobTestSupportAccess.CLIP,
                            "--set",
                            "source.max-fps=5",
                            "--set",
                            "redis.url=" + redis.url(),
                            "--set",
                            "gallery.name=people",
                            "--set",
                            "output.dir=" + out,
                            "--set",
                            "parallelism=1",
                            // Checkpoints while the input ends: Flink declines some, with traces.
                            "--set",
                            "checkpoint.interval=500ms");
            assertThat(run.process().waitFor(300, TimeUnit.SECONDS)).as("run ended").isTrue();
        }
        String console = run.output();
        System.out.println(console);
        assertThat(run.process().exitValue()).as(console).isZero();

        Path log = out.resolve("facestream.log");
        assertThat(console)
                .contains("log (Flink's messages): " + log.toAbsolutePath())
                .contains("job finished in")
                .contains("identity records in");
        for (String line : console.lines().toList()) {
            assertThat(STACK_FRAME.matcher(line).matches()).as("stack frame: " + line).isFalse();
            assertThat(line)
                    .as("Log4j status warnings stay off the console")
                    .doesNotContain("argument placeholders");
            var m = LOG_LINE.matcher(line);
            if (m.matches()) {
                // Only facestream's own messages, or another library's single-line ERROR.
                assertThat(m.group(2).startsWith("i.f.") || m.group(1).equals("ERROR"))
                        .as("console line from a library: " + line)
                        .isTrue();
            }
        }
        assertThat(log).exists();
        String file = Files.readString(log);
        assertThat(file)
                .as("Flink's own INFO lines are in the file")
                .containsPattern(
                        "INFO  org\\.apache\\.flink\\.\\S+ \\[.*switched from state RUNNING to FINISHED")
                .doesNotContain("argument placeholders");
    }
}
