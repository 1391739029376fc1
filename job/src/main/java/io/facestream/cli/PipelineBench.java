package io.facestream.cli;

import io.facestream.analyze.FaceAnalyzer;
import io.facestream.bench.BenchInput;
import io.facestream.bench.ComputeBound;
import io.facestream.bench.FrameGenerator;
import io.facestream.bench.JobBench;
import io.facestream.bench.PairTable;
import io.facestream.bench.PipelineReport;
import io.facestream.bench.Rate;
import io.facestream.bench.Rep;
import io.facestream.bench.SeedLoop;
import io.facestream.detect.DetectorOptions;
import io.facestream.enroll.Enroller;
import io.facestream.enroll.IdentityNaming;
import io.facestream.gallery.FaceGallery;
import io.facestream.gallery.Galleries;
import io.facestream.gallery.GalleryOptions;
import io.facestream.job.FacestreamOptions;
import io.facestream.job.JobConfig;
import io.facestream.model.ModelOptions;
import io.facestream.testing.LocalRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code facestream bench pipeline}: the model-compute bound, the seed-style loop and the job, back
 * to back on the same frames, models and Redis gallery, repeated; then the job with N copies of the
 * clip as N cameras at parallelism 1 and 2 (a long run on live cameras is {@code bench soak}).
 * Prints tables, appends them to {@code docs/benchmarks.md}, and ends with one machine-readable
 * line.
 */
@Command(
        name = "pipeline",
        description =
                "Job vs model-compute bound vs seed-style loop on the sample clip (frames/s,"
                        + " latency), camera scaling.")
final class PipelineBench implements Callable<Integer> {
    @Option(names = "--video", description = "Input video (default: the shared sample clip).")
    Path video;

    @Option(
            names = "--frames",
            defaultValue = "0",
            description = "Use the first N frames (default: all).")
    int frames;

    @Option(
            names = "--loops",
            defaultValue = "2",
            description =
                    "Each job run plays the clip this many times per camera (default:"
                            + " ${DEFAULT-VALUE}).")
    int loops;

    @Option(
            names = "--warm-up-loops",
            defaultValue = "1",
            description =
                    "Each job run first plays the clip this many times unmeasured, so the JIT's"
                            + " start-up compiling is over before the measured loops (0: measure all but"
                            + " the first 10 %%; default: ${DEFAULT-VALUE}).")
    int warmUpLoops;

    @Option(
            names = "--warm-up-runs",
            defaultValue = "1",
            description =
                    "Unmeasured job runs before the first rep, so the process's JIT has compiled"
                            + " the job's code (default: ${DEFAULT-VALUE}).")
    int warmUpRuns;

    @Option(
            names = "--reps",
            defaultValue = "3",
            description = "Repetitions of bound + seed + job (default: ${DEFAULT-VALUE}).")
    int reps;

    @Option(
            names = "--parallelism",
            defaultValue = "0",
            description =
                    "Job parallelism (default: twice the number of cores, so detect and embed"
                            + " subtasks overlap and keep every core busy).")
    int parallelism;

    @Option(
            names = "--threads",
            defaultValue = "1",
            description =
                    "ONNX Runtime threads per operator instance, as models.threads (default:"
                            + " ${DEFAULT-VALUE}).")
    int threads;

    @Option(
            names = "--cameras",
            split = ",",
            defaultValue = "1,2,4",
            description = "Camera counts for the scaling table (default: ${DEFAULT-VALUE}).")
    List<Integer> cameras;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "Job setting for the job runs (repeatable).")
    List<String> sets = new ArrayList<>();

    @Option(
            names = "--versus",
            paramLabel = "KEY=VALUE[;KEY=VALUE...]",
            description =
                    "With --compare-modes: one more arm each rep, tracked mode with these settings"
                            + " on top of --set (repeatable, one arm each; an A/B against other"
                            + " settings in the same run).")
    List<String> versus = new ArrayList<>();

    @Option(
            names = "--job-only",
            description =
                    "Tuning: run only the job (full speed, then paced), once, print its line and"
                            + " append nothing.")
    boolean jobOnly;

    @Option(
            names = "--compare-modes",
            description =
                    "Run only the job in track.mode tracked and every-frame, interleaved --reps"
                            + " times (fps, CPU, embeddings per face, paced latency); appends its"
                            + " table.")
    boolean compareModes;

    @Option(
            names = "--thread-cpu",
            description =
                    "Run only the bound and the job at full speed, --reps times, and print the"
                            + " CPU ms per frame of every thread kind of the process (Flink"
                            + " tasks, GC, JIT, native); appends its table.")
    boolean threadCpu;

    @Option(
            names = "--ab-property",
            paramLabel = "NAME",
            description =
                    "With --thread-cpu: in every rep also run the job with this system property"
                            + " set to true (A/B in one run).")
    String abProperty;

    @Option(
            names = "--ab-set",
            paramLabel = "KEY=VALUE",
            description =
                    "With --thread-cpu: in every rep also run the job with these settings added"
                            + " (repeatable; A/B in one run).")
    List<String> abSets = new ArrayList<>();

    @Option(
            names = "--clip-order",
            description =
                    "Pictures in the clip's own order (default: shuffled to even the load per"
                            + " second; for a tracker every shuffled frame is a shot cut). Either"
                            + " way each camera's sequence numbers leave the bench's one-reader"
                            + " source in order, as from a real camera.")
    boolean clipOrder;

    @Option(
            names = "--stage-split",
            description =
                    "After each paced job run, print the frame's age (ms since capture) as it"
                            + " leaves each operator: p50/p90/p99/max of the operators' frameAgeMs"
                            + " histograms, read through an in-JVM metric reporter, after the"
                            + " warm-up (also -Dfacestream.bench.stages=true).")
    boolean stageSplit;

    @Option(
            names = "--pairs",
            description =
                    "Also measure the compute bound of every detector x embedder pair on one core"
                            + " (the README's sizing table).")
    boolean pairs;

    @Option(
            names = "--append",
            defaultValue = "docs/benchmarks.md",
            description = "Markdown file the results are appended to ('-' for none).")
    String append;

    private static final double LOAD = 0.8;

    @Override
    public Integer call() throws Exception {
        io.facestream.flink.OpenCvThreads
                .single(); // as the job's operators do, for every contender
        String commit = commit(); // now: the tree may change while a long bench runs
        ConsoleLog.toFileIn(Path.of("out"));
        System.setProperty(JobBench.CLIP_ORDER, Boolean.toString(clipOrder));
        if (stageSplit) {
            System.setProperty(JobBench.STAGE_SPLIT, "true");
        }
        int cores = Runtime.getRuntime().availableProcessors();
        int p = parallelism > 0 ? parallelism : 2 * cores;
        Path root = io.facestream.model.ModelResolver.projectRoot().orElse(Path.of("."));
        Path data = root.resolve("../shared/data").normalize();
        Path clip = video != null ? video : data.resolve("video/hamilton_clip.mp4");
        BenchInput in = BenchInput.load(clip, frames, 90);
        // In the CLI's private temp folder (see PrivateTempDir), gone at exit even on Ctrl-C.
        Path framesFile =
                Files.createTempFile(
                        Path.of(System.getProperty("java.io.tmpdir")),
                        "facestream-bench-frames",
                        ".bin");
        FrameGenerator.write(in, framesFile);
        System.err.printf(
                Locale.ROOT,
                "bench: %d frames %dx%d of %s; parallelism %d, %d ONNX thread(s) per operator%n",
                in.frames(),
                in.width(),
                in.height(),
                in.name(),
                p,
                threads);

        try (LocalRedis redis = LocalRedis.start()) {
            String gallery = "bench";
            JobConfig cfg = jobConfig(redis.url(), gallery, p, 1);
            enrol(redis.url(), gallery, cfg, data.resolve("people/gallery"));
            ModelOptions jobModels = cfg.models();
            ModelOptions seedModels = jobModels.withThreads(cores);

            // Job runs go over the clip `warmUpLoops` times, then `loops` times measured.
            JobBench.Span jobFrames =
                    new JobBench.Span((long) warmUpLoops * in.frames(), (long) loops * in.frames());
            if (compareModes) {
                List<String> arms = new ArrayList<>(List.of("tracked", "every-frame"));
                versus.forEach(v -> arms.add("tracked, " + v.replace(";", ", ")));
                var runs =
                        io.facestream.bench.ModeComparison.run(
                                m -> {
                                    List<String> with = new ArrayList<>(sets);
                                    int arm = arms.indexOf(m) - 2;
                                    if (arm >= 0) {
                                        with.add("track.mode=tracked");
                                        with.addAll(List.of(versus.get(arm).split(";")));
                                    } else {
                                        with.add("track.mode=" + m);
                                    }
                                    return jobConfig(redis.url(), gallery, p, 1, with);
                                },
                                arms,
                                framesFile,
                                in,
                                jobFrames,
                                reps,
                                LOAD);
                String md =
                        io.facestream.bench.ModeComparison.markdown(
                                runs,
                                String.format(
                                        Locale.ROOT,
                                        "%s, %d frames x %d loops, parallelism %d, %s, commit %s,"
                                                + " `bench pipeline --compare-modes %s`",
                                        in.name(),
                                        in.frames(),
                                        loops,
                                        p,
                                        Machine.describe(),
                                        commit,
                                        String.join(" ", commandLine())));
                publish(md);
                return 0;
            }
            if (threadCpu) {
                var runs =
                        io.facestream.bench.CpuBreakdown.run(
                                cfg,
                                framesFile,
                                in,
                                jobFrames,
                                reps,
                                cfg.detector(),
                                cfg.embedder(),
                                jobModels,
                                cores,
                                cfg.get(FacestreamOptions.EMBED_BATCH_SIZE),
                                variant(redis.url(), gallery, p));
                String md =
                        io.facestream.bench.CpuBreakdown.markdown(
                                runs,
                                String.format(
                                        Locale.ROOT,
                                        "CPU per frame by thread kind (%s, %d frames x %d loops,"
                                                + " parallelism %d, %s, commit %s, `bench pipeline"
                                                + " --thread-cpu %s`)",
                                        in.name(),
                                        in.frames(),
                                        loops,
                                        p,
                                        Machine.describe(),
                                        commit,
                                        String.join(" ", commandLine())),
                                variantLabel());
                publish(md);
                return 0;
            }
            if (jobOnly) {
                JobBench.run(cfg, framesFile, in, 1, jobFrames, 0);
                JobBench.Result max = JobBench.run(cfg, framesFile, in, 1, jobFrames, 0);
                JobBench.Result paced =
                        JobBench.run(cfg, framesFile, in, 1, jobFrames, LOAD * max.rate().fps());
                System.out.printf(
                        Locale.ROOT,
                        "job-only %s: %.1f fps (%.2f cores, %.1f CPU ms/frame); at %.1f fps p50 %.0f"
                                + " ms p99 %.0f ms (p99 before detect-align %.0f ms, after it %.0f"
                                + " ms)%n",
                        sets,
                        max.rate().fps(),
                        max.rate().cores(),
                        max.rate().cpuMsPerFrame(),
                        LOAD * max.rate().fps(),
                        paced.p50Ms(),
                        paced.p99Ms(),
                        paced.p99QueuedMs(),
                        paced.p99ProcessedMs());
                return 0;
            }
            // Job runs first, not counted: the JIT compiles Flink's and our code paths for
            // minutes (measured: C2 compiler threads took 0.25-0.4 cores meanwhile; the first
            // measured rep still cost 5-8 CPU ms per frame more than the third).
            for (int w = 0; w < warmUpRuns; w++) {
                JobBench.run(cfg, framesFile, in, 1, jobFrames, 0);
            }
            float[][] seedGallery =
                    SeedLoop.gallery(
                            data.resolve("people/gallery"),
                            cfg.detector(),
                            cfg.embedder(),
                            jobModels);
            List<Rep> results = new ArrayList<>();
            for (int r = 1; r <= reps; r++) {
                Rate bound =
                        ComputeBound.run(
                                in,
                                cfg.detector(),
                                cfg.embedder(),
                                jobModels,
                                cores, // one worker per core: more only trade cache for switches
                                cfg.get(FacestreamOptions.EMBED_BATCH_SIZE));
                Rate seed =
                        SeedLoop.run(in, cfg.detector(), cfg.embedder(), seedModels, seedGallery);
                JobBench.Result max = JobBench.run(cfg, framesFile, in, 1, jobFrames, 0);
                double rate = LOAD * max.rate().fps();
                JobBench.Result paced = JobBench.run(cfg, framesFile, in, 1, jobFrames, rate);
                Rep rep =
                        new Rep(
                                bound.fps(),
                                seed.fps(),
                                max.rate().fps(),
                                max.rate().facesPerSecond(),
                                rate,
                                paced.p50Ms(),
                                paced.p99Ms(),
                                max.deadLetters() + paced.deadLetters(),
                                bound.cores(),
                                max.rate().cores(),
                                bound.cpuMsPerFrame(),
                                seed.cpuMsPerFrame(),
                                max.rate().cpuMsPerFrame());
                results.add(rep);
                System.err.printf(
                        Locale.ROOT,
                        "rep %d: bound %.1f fps (%.2f cores, %.1f CPU ms/frame), seed %.1f fps"
                                + " (%.2f cores, %.1f CPU ms/frame), job %.1f fps (%.1f faces/s, %.2f cores, %.1f CPU"
                                + " ms/frame), latency at %.1f fps p50 %.0f ms p99 %.0f ms%n",
                        r,
                        rep.boundFps(),
                        bound.cores(),
                        bound.cpuMsPerFrame(),
                        rep.seedFps(),
                        seed.cores(),
                        seed.cpuMsPerFrame(),
                        rep.jobFps(),
                        rep.jobFacesPerSecond(),
                        max.rate().cores(),
                        max.rate().cpuMsPerFrame(),
                        rep.pacedFps(),
                        rep.p50Ms(),
                        rep.p99Ms());
            }

            List<PipelineReport.Scaling> scaling = new ArrayList<>();
            for (int n : cameras) {
                for (int q : new java.util.TreeSet<>(List.of(cores, p))) {
                    JobConfig c = jobConfig(redis.url(), gallery, q, n);
                    JobBench.Result s = JobBench.run(c, framesFile, in, n, jobFrames.times(n), 0);
                    scaling.add(new PipelineReport.Scaling(n, q, s.rate()));
                    System.err.printf(
                            Locale.ROOT,
                            "cameras %d, parallelism %d: %.1f fps (%.2f cores, %.1f CPU"
                                    + " ms/frame)%n",
                            n,
                            q,
                            s.rate().fps(),
                            s.rate().cores(),
                            s.rate().cpuMsPerFrame());
                }
            }

            String extra =
                    pairs
                            ? PairTable.run(
                                    in,
                                    cfg.models(),
                                    threads,
                                    cfg.get(FacestreamOptions.EMBED_BATCH_SIZE))
                            : "";

            String report =
                    PipelineReport.markdown(
                            new PipelineReport.Setup(
                                    in,
                                    p,
                                    threads,
                                    loops,
                                    warmUpLoops,
                                    LOAD,
                                    Machine.describe(),
                                    commit,
                                    String.join(" ", commandLine())),
                            results,
                            scaling,
                            extra);
            publish(report);
            System.out.println(PipelineReport.benchLine(results));
        } finally {
            Files.deleteIfExists(framesFile);
        }
        return 0;
    }

    /** Prints a report's markdown and appends it to {@code --append} unless that is '-'. */
    private void publish(String markdown) throws java.io.IOException {
        System.out.print(markdown);
        if (!"-".equals(append)) {
            Path md = Path.of(append);
            Files.writeString(md, markdown, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            System.err.println("appended to " + md);
        }
    }

    /** The --thread-cpu run's B side, or null without --ab-property / --ab-set. */
    private io.facestream.bench.CpuBreakdown.Variant variant(
            String redisUrl, String gallery, int p) {
        if (abProperty == null && abSets.isEmpty()) {
            return null;
        }
        List<String> with = new ArrayList<>(sets);
        with.addAll(abSets);
        return new io.facestream.bench.CpuBreakdown.Variant(
                variantLabel(),
                abSets.isEmpty() ? null : jobConfig(redisUrl, gallery, p, 1, with),
                abProperty);
    }

    private String variantLabel() {
        if (abProperty == null && abSets.isEmpty()) {
            return null;
        }
        List<String> parts = new ArrayList<>(abSets);
        if (abProperty != null) {
            parts.add("-D" + abProperty + "=true");
        }
        return String.join(", ", parts);
    }

    private JobConfig jobConfig(String redisUrl, String gallery, int p, int cams) {
        return jobConfig(redisUrl, gallery, p, cams, sets);
    }

    private JobConfig jobConfig(
            String redisUrl, String gallery, int p, int cams, List<String> settings) {
        List<String> all = new ArrayList<>();
        // The bench feeds the graph from its own generator; source.uris only passes validation.
        all.add("source.uris=bench-generator");
        all.add("redis.url=" + redisUrl);
        all.add("gallery.name=" + gallery);
        all.add("parallelism=" + p);
        all.add("models.threads=" + threads);
        // The bench reads identities and completion times only, and the bound and the seed loop
        // draw nothing: the job does the same work (frames still pass through, undrawn);
        // --set annotate.draw=true measures it drawing too.
        all.add("annotate.draw=false");
        all.addAll(settings);
        return JobConfig.load(null, all);
    }

    /** Enrols the photos under {@code dir} into {@code gallery} (the job's models). */
    static void enrol(String url, String gallery, JobConfig cfg, Path dir) {
        try (FaceAnalyzer a =
                        FaceAnalyzer.open(
                                cfg.get(FacestreamOptions.DETECT_MODEL),
                                cfg.get(FacestreamOptions.EMBED_MODEL),
                                ModelOptions.DEFAULT,
                                DetectorOptions.DEFAULT,
                                8);
                FaceGallery g = Galleries.open(url, gallery, GalleryOptions.defaults())) {
            var report =
                    new Enroller(a, g, IdentityNaming.AUTO, false).enroll(dir, (d, t, f) -> {});
            System.err.println("bench: enrolled " + dir + ": " + report);
        }
    }

    private List<String> commandLine() {
        List<String> args = new ArrayList<>();
        if (frames > 0) {
            args.add("--frames " + frames);
        }
        args.add("--reps " + reps);
        args.add("--loops " + loops);
        args.add("--warm-up-loops " + warmUpLoops);
        if (warmUpRuns != 1) {
            args.add("--warm-up-runs " + warmUpRuns);
        }
        if (parallelism > 0) {
            args.add("--parallelism " + parallelism);
        }
        args.add("--threads " + threads);
        args.add("--cameras " + String.join(",", cameras.stream().map(String::valueOf).toList()));
        sets.forEach(s -> args.add("--set " + s));
        versus.forEach(s -> args.add("--versus " + s));
        if (clipOrder) {
            args.add("--clip-order");
        }
        if (stageSplit) {
            args.add("--stage-split");
        }
        if (abProperty != null) {
            args.add("--ab-property " + abProperty);
        }
        abSets.forEach(s -> args.add("--ab-set " + s));
        if (pairs) {
            args.add("--pairs");
        }
        return args;
    }

    static String commit() {
        try {
            Process pr = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").start();
            String c = new String(pr.getInputStream().readAllBytes()).strip();
            return pr.waitFor() == 0 && !c.isEmpty() ? c : "unknown";
        } catch (Exception e) {
            return "unknown";
        }
    }
}
