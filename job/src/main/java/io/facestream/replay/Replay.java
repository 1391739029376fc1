package io.facestream.replay;

import static io.facestream.job.FacestreamOptions.*;

import io.facestream.annotate.IdentityDrawing;
import io.facestream.decode.ImageDecoder;
import io.facestream.flink.source.VideoSplit;
import io.facestream.job.FacestreamJob;
import io.facestream.job.JobConfig;
import io.facestream.job.sink.Mp4Writer;
import io.facestream.schema.FaceIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.bytedeco.opencv.opencv_core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replay, from configuration ({@code replay.*} keys) to a finished report: checks the report
 * folder, lists the inputs, runs {@link ReplayJob} on the given environment, turns each video's
 * appearance events into its {@link Timeline}, writes the report ({@link ReplayReport}) and, when
 * {@code replay.annotated-video} is on, an annotated MP4 per video under {@code videos/}. Both
 * {@code facestream replay} (a local MiniCluster) and the job jar's replay entry point, {@link
 * #main} (the cluster it is submitted to; results stream back to the client, which writes the
 * report), go through here.
 *
 * <p>The job's annotated frames carry the undrawn pictures ({@code annotate.draw=false}); the MP4s
 * are drawn here, from the identity records. Thumbnails come with the appearance events.
 */
public final class Replay {
    private static final Logger LOG = LoggerFactory.getLogger(Replay.class);

    /** What a finished replay did, for the summary line and callers' exit codes. */
    public record Summary(
            int videos,
            long failed,
            int skipped,
            long frames,
            double seconds,
            double mediaSeconds,
            long appearances,
            Path html,
            List<Path> annotatedVideos) {
        public String line() {
            return String.format(
                    Locale.ROOT,
                    "replayed %d videos (%d failed, %d skipped): %d frames in %.1f s (%.1f fps,"
                            + " %.2fx real time), %d appearances; report %s",
                    videos,
                    failed,
                    skipped,
                    frames,
                    seconds,
                    frames / Math.max(1e-9, seconds),
                    mediaSeconds / Math.max(1e-9, seconds),
                    appearances,
                    html.toAbsolutePath());
        }
    }

    /** Told the inputs before the job starts, then the frames done per video as it runs. */
    public interface Progress {
        void start(ReplayInputs inputs, ReplayJob.Settings settings);

        void update(Map<String, Integer> framesPerVideo);
    }

    private Replay() {}

    /**
     * Entry point of a replay on a cluster: {@code flink run -c io.facestream.replay.Replay
     * facestream-job.jar --config FILE --set replay.inputs=... --set replay.out=...} (the job jar's
     * arguments, {@link FacestreamJob#parseArgs}). Writes the report on the client and fails after
     * writing it when a video failed.
     */
    public static void main(String[] args) throws Exception {
        JobConfig cfg = FacestreamJob.parseArgs(args);
        LOG.info("facestream replay configuration: {}", cfg);
        Summary s =
                run(
                        StreamExecutionEnvironment.getExecutionEnvironment(),
                        cfg,
                        new LoggedProgress(),
                        LOG::warn);
        // the client's console: where `flink run` users look
        System.out.println(s.line());
        if (s.failed() > 0) {
            throw new IllegalStateException(
                    s.failed() + " of " + s.videos() + " videos failed; see the report");
        }
    }

    /** The {@code replay.*} settings of {@code cfg}. */
    public static ReplayJob.Settings settings(JobConfig cfg) {
        RuntimeExecutionMode mode;
        try {
            mode =
                    RuntimeExecutionMode.valueOf(
                            cfg.get(REPLAY_RUNTIME_MODE).strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "replay.runtime-mode must be BATCH or STREAMING, got '"
                            + cfg.get(REPLAY_RUNTIME_MODE)
                            + "'",
                    e);
        }
        long to =
                cfg.conf().getOptional(REPLAY_TO).map(d -> d.toMillis()).orElse(VideoSplit.TO_END);
        long from = cfg.get(REPLAY_FROM).toMillis();
        if (to != VideoSplit.TO_END && to <= from) {
            throw new IllegalArgumentException(
                    "replay.to (" + to + " ms) must be after replay.from (" + from + " ms)");
        }
        if (cfg.get(REPLAY_FPS) < 0) {
            throw new IllegalArgumentException("replay.fps must be >= 0");
        }
        return new ReplayJob.Settings(from, to, cfg.get(REPLAY_FPS), mode);
    }

    /**
     * Runs the replay that {@code cfg} describes on {@code env} and writes its report. Bad inputs
     * (unreadable or truncated videos, non-video files) are reported in the result, not thrown; an
     * unwritable report folder or a missing {@code replay.inputs}/{@code replay.out} is thrown
     * before any job starts.
     */
    public static Summary run(
            StreamExecutionEnvironment env,
            JobConfig cfg,
            Progress progress,
            Consumer<String> messages)
            throws Exception {
        List<String> paths =
                cfg.conf()
                        .getOptional(REPLAY_INPUTS)
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                "replay needs replay.inputs (videos or folders)"));
        Path out =
                cfg.conf()
                        .getOptional(REPLAY_OUT)
                        .map(Path::of)
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                "replay needs replay.out (the report folder)"));
        ReplayReport.checkWritable(out); // before models, Redis or the job
        ReplayJob.Settings settings = settings(cfg);
        ReplayInputs in = ReplayInputs.of(paths.stream().map(Path::of).toList());
        in.skipped().forEach(s -> messages.accept("skipped " + s.path() + ": " + s.reason()));
        boolean videos = cfg.get(REPLAY_ANNOTATED_VIDEO);
        // Clean pictures for the MP4s, and per-video frame counts for live progress.
        JobConfig job =
                cfg.with(
                        Map.of(
                                ANNOTATE.key(), "true",
                                ANNOTATE_DRAW.key(), "false",
                                PROGRESS_ACCUMULATORS.key(), "true"));
        progress.start(in, settings);
        try (ReplayResult result =
                ReplayJob.run(env, job, in, settings, videos, progress::update)) {
            var entries = ReplayReport.entries(result);
            Path html = new ReplayReport(out).write(result, entries, cfg.get(GALLERY));
            List<Path> mp4s =
                    videos ? writeVideos(result, settings, out.resolve("videos")) : List.of();
            long frames = entries.stream().mapToLong(ReplayReport.VideoEntry::framesDone).sum();
            long failed = entries.stream().filter(ReplayReport.VideoEntry::failed).count();
            entries.stream()
                    .filter(ReplayReport.VideoEntry::failed)
                    .forEach(
                            e -> messages.accept("failed " + e.video().path() + ": " + e.errors()));
            double mediaS =
                    in.videos().stream().mapToLong(v -> Math.max(0, v.durationMs())).sum() / 1000.0;
            return new Summary(
                    in.videos().size(),
                    failed,
                    in.skipped().size(),
                    frames,
                    result.seconds(),
                    mediaS,
                    entries.stream().mapToLong(e -> e.appearances().size()).sum(),
                    html,
                    mp4s);
        }
    }

    /**
     * One annotated MP4 per video that produced frames ({@code <dir>/<video id>[.mp4]}), frames in
     * sequence order with the identities drawn, at the video's rate (or the sampled one).
     */
    static List<Path> writeVideos(ReplayResult result, ReplayJob.Settings settings, Path dir)
            throws IOException {
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        ImageDecoder decoder = new ImageDecoder();
        for (ReplayInputs.Video v : result.inputs().videos()) {
            List<Long> sequences = result.keptSequences(v.id());
            if (sequences.isEmpty()) {
                continue;
            }
            Map<Long, List<FaceIdentity>> faces = new TreeMap<>();
            for (FaceIdentity id : result.identities(v.id())) {
                faces.computeIfAbsent(id.getFrameSequence(), k -> new ArrayList<>()).add(id);
            }
            double fps = v.fps() > 0 ? v.fps() : 25;
            if (settings.maxFps() > 0) {
                fps = Math.min(fps, settings.maxFps());
            }
            String name = v.id().replaceAll("[^A-Za-z0-9._-]", "_");
            Path file = dir.resolve(name.endsWith(".mp4") ? name : name + ".mp4");
            Path tmp = dir.resolve("." + file.getFileName() + ".tmp.mp4");
            try (Mp4Writer w = new Mp4Writer(tmp, fps)) {
                for (long seq : sequences) {
                    try (Mat img = decoder.decode(result.jpeg(v.id(), seq), v.id() + "#" + seq)) {
                        IdentityDrawing.draw(img, faces.getOrDefault(seq, List.of()));
                        w.write(img);
                    }
                }
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            written.add(file);
        }
        return written;
    }
}
