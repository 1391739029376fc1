package io.facestream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.facestream.job.FacestreamJob;
import io.facestream.job.FacestreamOptions;
import io.facestream.job.JobConfig;
import io.facestream.job.LocalCluster;
import io.facestream.job.SlotGroups;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Runs the job on a local MiniCluster in this (the launcher's own) JVM, and summarises the
 * identities it wrote to {@code output.dir}.
 */
final class LocalJob {
    private LocalJob() {}

    /** Runs the job to its end (or a clean stop on SIGINT/SIGTERM); returns the exit code. */
    static int run(JobConfig cfg) throws Exception {
        ConsoleLog.toFileIn(
                Path.of(cfg.conf().getOptional(FacestreamOptions.OUTPUT_DIR).orElse("out")));
        Configuration conf = new Configuration();
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, SlotGroups.slots(cfg));
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        LiveRun.configure(conf, cfg);
        StreamExecutionEnvironment env = LocalCluster.environment(conf, cfg.conf());
        FacestreamJob.configure(env, cfg);
        FacestreamJob.wire(env, cfg);
        long t0 = System.nanoTime();
        JobClient client = env.executeAsync(cfg.get(FacestreamOptions.JOB_NAME));
        int exitCode = LiveRun.await(client, cfg);
        System.err.printf(Locale.ROOT, "job finished in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        return exitCode;
    }

    /** A table of identities.jsonl: per identity, faces, frames and first/last media time. */
    static void printSummary(Path identities) throws IOException {
        if (!Files.exists(identities)) {
            return;
        }
        ObjectMapper json = new ObjectMapper();
        Map<String, long[]> rows = new TreeMap<>(); // faces, frames, first ts, last ts
        Map<String, java.util.Set<String>> frames = new TreeMap<>();
        long total = 0;
        try (BufferedReader r = Files.newBufferedReader(identities)) {
            for (String line; (line = r.readLine()) != null; ) {
                JsonNode n = json.readTree(line);
                total++;
                String status = n.get("status").asText();
                String who =
                        "MATCHED".equals(status)
                                ? GalleryCommand.shown(n.get("identity").asText())
                                : "(" + status.toLowerCase(Locale.ROOT) + ")";
                long ts = n.get("timestamp").asLong();
                long[] row =
                        rows.computeIfAbsent(
                                who, k -> new long[] {0, 0, Long.MAX_VALUE, Long.MIN_VALUE});
                row[0]++;
                row[2] = Math.min(row[2], ts);
                row[3] = Math.max(row[3], ts);
                frames.computeIfAbsent(who, k -> new java.util.HashSet<>())
                        .add(n.get("cameraId").asText() + "#" + n.get("frameSequence").asLong());
            }
        }
        System.out.printf(
                "%-24s %6s %6s %9s %9s%n", "IDENTITY", "FACES", "FRAMES", "FIRST s", "LAST s");
        for (var e : rows.entrySet()) {
            long[] row = e.getValue();
            System.out.printf(
                    Locale.ROOT,
                    "%-24s %6d %6d %9.2f %9.2f%n",
                    e.getKey(),
                    row[0],
                    frames.get(e.getKey()).size(),
                    row[2] / 1000.0,
                    row[3] / 1000.0);
        }
        System.out.printf("%d identity records in %s%n", total, identities);
    }
}
