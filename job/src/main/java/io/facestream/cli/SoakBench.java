package io.facestream.cli;

import io.facestream.bench.CameraSoak;
import io.facestream.bench.SoakReport;
import io.facestream.bench.SoakSample;
import io.facestream.job.JobConfig;
import io.facestream.testing.LocalRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.flink.util.TimeUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code facestream bench soak}: N live RTSP cameras (the sample clip served by the shared
 * GStreamer camera, looping, one server per camera; or real cameras given with {@code --camera}) on
 * the job as {@code run} wires it — tracker on by default — for a long time, sampled every {@code
 * --every}: heap after GC, tracker and checkpoint state size, frames in/processed/dropped per
 * camera, lag, frame→record latency. Prints the samples and a verdict per series (flat or not) and
 * appends them as a Markdown section to {@code docs/benchmarks.md}; {@code --csv} keeps every
 * sample.
 */
@Command(
        name = "soak",
        description =
                "Live cameras on the job for a long time: heap, tracker state, checkpoint size,"
                        + " frames, lag and latency sampled; flat or not.")
final class SoakBench implements Callable<Integer> {
    @Option(
            names = "--cameras",
            defaultValue = "4",
            description = "Looping RTSP cameras of the clip to start (default: ${DEFAULT-VALUE}).")
    int cameras;

    @Option(
            names = "--camera",
            paramLabel = "URI",
            description = "A camera to read instead (repeatable); then none is started.")
    List<String> uris = new ArrayList<>();

    @Option(
            names = "--video",
            description = "Clip the started cameras serve (default: the shared sample clip).")
    Path video;

    @Option(
            names = "--duration",
            defaultValue = "30min",
            description = "How long the job runs (default: ${DEFAULT-VALUE}).")
    String duration;

    @Option(
            names = "--every",
            defaultValue = "30s",
            description = "Sampling interval (default: ${DEFAULT-VALUE}).")
    String every;

    @Option(
            names = "--max-fps",
            defaultValue = "5",
            description =
                    "source.max-fps per camera: size the input to what the machine can process"
                            + " (default: ${DEFAULT-VALUE}; 0 = every frame, the rest dropped).")
    double maxFps;

    @Option(
            names = "--tolerance",
            defaultValue = "10",
            description =
                    "A series is flat when its last third's mean is within this many percent of"
                            + " its second third's (default: ${DEFAULT-VALUE}).")
    double tolerance;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "Job setting (repeatable), e.g. track.mode=every-frame.")
    List<String> sets = new ArrayList<>();

    @Option(names = "--csv", description = "Also write every sample to this CSV file.")
    Path csv;

    @Option(
            names = "--append",
            defaultValue = "docs/benchmarks.md",
            description = "Markdown file the section is appended to ('-' for none).")
    String append;

    @Override
    public Integer call() throws Exception {
        String commit = PipelineBench.commit();
        Duration length = TimeUtils.parseDuration(duration);
        Duration interval = TimeUtils.parseDuration(every);
        Path root = io.facestream.model.ModelResolver.projectRoot().orElse(Path.of("."));
        Path shared = root.resolve("../shared").normalize();
        Path clip = video != null ? video : shared.resolve("data/video/hamilton_clip.mp4");
        String load0 = loadAverage();
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<SoakSample> samples;
        try (LocalRedis redis = LocalRedis.start();
                var started =
                        uris.isEmpty()
                                ? io.facestream.testing.RtspCameras.start(
                                        shared.resolve("tools/rtsp/serve.py"), clip, cameras)
                                : null) {
            List<String> cams = started != null ? started.uris() : uris;
            JobConfig cfg = jobConfig(redis.url(), cams);
            PipelineBench.enrol(redis.url(), "soak", cfg, shared.resolve("data/people/gallery"));
            System.err.printf(
                    Locale.ROOT,
                    "soak: %d cameras %s for %s, sampled every %s%n",
                    cams.size(),
                    cams,
                    length,
                    interval);
            samples =
                    CameraSoak.run(
                            cfg,
                            length,
                            interval,
                            s ->
                                    System.err.printf(
                                            Locale.ROOT,
                                            "soak %4d s: heap %d MB, tracker %d B, checkpoint %d B"
                                                    + " (#%d), in %d, processed %d, dropped %d,"
                                                    + " max lag %d ms, %d frames p99 %.0f ms,"
                                                    + " out of order %d%n",
                                            s.seconds(),
                                            s.heapMb(),
                                            s.trackerBytes(),
                                            s.checkpointBytes(),
                                            s.checkpoints(),
                                            s.total(SoakSample.Camera::in),
                                            s.total(SoakSample.Camera::processed),
                                            s.total(SoakSample.Camera::dropped),
                                            s.maxOf(SoakSample.Camera::lagMs),
                                            s.frames(),
                                            s.p99Ms(),
                                            s.outOfOrder()));
        }
        if (samples.isEmpty()) {
            System.err.println("soak: no samples (shorter than --every?)");
            return 1;
        }
        String md = markdown(samples, start, commit, load0, loadAverage());
        System.out.print(md);
        if (csv != null) {
            Files.writeString(csv, SoakReport.csv(samples));
            System.err.println("samples written to " + csv);
        }
        if (!"-".equals(append)) {
            Files.writeString(
                    Path.of(append), md, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            System.err.println("appended to " + append);
        }
        return samples.get(samples.size() - 1).outOfOrder() == 0 ? 0 : 1;
    }

    private JobConfig jobConfig(String redisUrl, List<String> cams) {
        List<String> all = new ArrayList<>();
        List<String> named = new ArrayList<>();
        for (int i = 0; i < cams.size(); i++) {
            named.add("cam" + (i + 1) + "=" + cams.get(i));
        }
        all.add("source.uris=" + String.join(";", named));
        all.add("source.max-fps=" + maxFps);
        all.add("redis.url=" + redisUrl);
        all.add("gallery.name=soak");
        all.add("parallelism=" + Runtime.getRuntime().availableProcessors());
        all.add("console.status-interval=0");
        all.addAll(sets); // last: they win
        return JobConfig.load(null, all);
    }

    private String markdown(
            List<SoakSample> samples, Instant start, String commit, String load0, String load1) {
        SoakSample last = samples.get(samples.size() - 1);
        StringBuilder sb = new StringBuilder();
        sb.append(
                String.format(
                        Locale.ROOT,
                        "%n### Soak: %d live cameras, %s (%s)%n%n",
                        last.cameras().size(),
                        duration,
                        start));
        sb.append(
                String.format(
                        Locale.ROOT,
                        "`bench soak %s` at commit %s on %s; load average %s at the start, %s at"
                                + " the end. Sampled every %s; heap after a full GC, state sizes"
                                + " from the latest completed checkpoint, latency = end of the job"
                                + " − capture time of each processed frame since the previous"
                                + " sample.%n%n",
                        String.join(" ", commandLine()),
                        commit,
                        Machine.describe(),
                        load0,
                        load1,
                        every));
        sb.append(SoakReport.table(samples, 20)).append('\n');
        sb.append(SoakReport.cameras(samples.get(0), last)).append('\n');
        SoakReport.verdicts(samples, tolerance).forEach(v -> sb.append(v).append('\n'));
        sb.append(
                String.format(
                        Locale.ROOT,
                        "- frames out of order within a camera (sequence or capture time going"
                                + " backwards, across the clip's loops too): %d%n",
                        last.outOfOrder()));
        return sb.toString();
    }

    private List<String> commandLine() {
        List<String> args = new ArrayList<>();
        if (uris.isEmpty()) {
            args.add("--cameras " + cameras);
        }
        uris.forEach(u -> args.add("--camera " + u));
        args.add("--duration " + duration);
        args.add("--every " + every);
        args.add("--max-fps " + maxFps);
        sets.forEach(s -> args.add("--set " + s));
        return args;
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " / " + f[1] + " / " + f[2];
        } catch (Exception e) {
            return "unknown";
        }
    }
}
