package io.facestream.cli;

import io.facestream.analyze.FaceAnalyzer;
import io.facestream.bench.BenchInput;
import io.facestream.bench.ComputeBound;
import io.facestream.bench.FrameGenerator;
import io.facestream.bench.JobBench;
import io.facestream.bench.Rate;
import io.facestream.bench.SeedLoop;
import io.facestream.detect.DetectorOptions;
import io.facestream.enroll.Enroller;
import io.facestream.enroll.IdentityNaming;
import io.facestream.gallery.FaceGallery;
import io.facestream.gallery.Galleries;
import io.facestream.gallery.GalleryOptions;
import io.facestream.gallery.LocalRedis;
import io.facestream.job.FacestreamOptions;
import io.facestream.job.JobConfig;
import io.facestream.model.ModelOptions;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code facestream bench pipeline}: the model-compute bound, the seed-style loop and the job, back
 * to back on the same frames, models and Redis gallery, repeated; then the job with N copies of the
 * clip as N cameras at parallelism 1 and 2; optionally a long run that samples the heap. Prints
 * tables, appends them to {@code docs/benchmarks.md}, and ends with one machine-readable line.
 */
@Command(
        name = "pipeline",
        description =
                "Job vs model-compute bound vs seed-style loop on the sample clip (frames/s,"
                        + " latency), camera scaling, optional heap soak.")
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
            names = "--soak",
            defaultValue = "0s",
            paramLabel = "DURATION",
            description =
                    "Also run the job this long at 80 %% of its maximum and sample the heap (e.g."
                            + " 10min; default: none).")
    String soak;

    @Option(
            names = "--job-only",
            description =
                    "Tuning: run only the job (full speed, then paced), once, print its line and"
                            + " append nothing.")
    boolean jobOnly;

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
        int cores = Runtime.getRuntime().availableProcessors();
        int p = parallelism > 0 ? parallelism : 2 * cores;
        Path root = io.facestream.model.ModelResolver.projectRoot().orElse(Path.of("."));
        Path data = root.resolve("../shared/data").normalize();
        Path clip = video != null ? video : data.resolve("video/hamilton_clip.mp4");
        BenchInput in = BenchInput.load(clip, frames, 90);
        Path framesFile = Files.createTempFile("facestream-bench-frames", ".bin");
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

            // Job runs go over the clip `loops` times: long enough for the steady state.
            long jobFrames = (long) loops * in.frames();
            if (jobOnly) {
                JobBench.run(cfg, framesFile, in, 1, jobFrames, 0);
                JobBench.Result max = JobBench.run(cfg, framesFile, in, 1, jobFrames, 0);
                JobBench.Result paced =
                        JobBench.run(cfg, framesFile, in, 1, jobFrames, LOAD * max.rate().fps());
                System.out.printf(
                        Locale.ROOT,
                        "job-only %s: %.1f fps (%.2f cores, %.1f CPU ms/frame); at %.1f fps p50 %.0f"
                                + " ms p99 %.0f ms%n",
                        sets,
                        max.rate().fps(),
                        max.rate().cores(),
                        max.rate().cpuMsPerFrame(),
                        LOAD * max.rate().fps(),
                        paced.p50Ms(),
                        paced.p99Ms());
                return 0;
            }
            // One job run first, not counted: the JIT compiles Flink's and our code paths for
            // half a minute (measured: C2 compiler threads took 0.25-0.4 cores meanwhile).
            JobBench.run(cfg, framesFile, in, 1, jobFrames, 0);
            List<double[]> rows = new ArrayList<>(); // bound, seed, job, faces/s, rate, p50, p99
            for (int r = 1; r <= reps; r++) {
                Rate bound =
                        ComputeBound.run(
                                in,
                                cfg.detector(),
                                cfg.embedder(),
                                jobModels,
                                cores, // one worker per core: more only trade cache for switches
                                cfg.get(FacestreamOptions.EMBED_BATCH_SIZE));
                Rate seed;
                try (FaceGallery g =
                        Galleries.open(redis.url(), gallery, GalleryOptions.defaults())) {
                    seed =
                            SeedLoop.run(
                                    in,
                                    cfg.detector(),
                                    cfg.embedder(),
                                    seedModels,
                                    g,
                                    cfg.get(FacestreamOptions.MATCH_TOP_K));
                }
                JobBench.Result max = JobBench.run(cfg, framesFile, in, 1, jobFrames, 0);
                double rate = LOAD * max.rate().fps();
                JobBench.Result paced = JobBench.run(cfg, framesFile, in, 1, jobFrames, rate);
                double[] row = {
                    bound.fps(),
                    seed.fps(),
                    max.rate().fps(),
                    max.rate().facesPerSecond(),
                    rate,
                    paced.p50Ms(),
                    paced.p99Ms(),
                    max.deadLetters() + paced.deadLetters(),
                    bound.cores(),
                    max.rate().cores()
                };
                rows.add(row);
                System.err.printf(
                        Locale.ROOT,
                        "rep %d: bound %.1f fps (%.2f cores, %.1f CPU ms/frame), seed %.1f fps"
                                + " (%.2f cores), job %.1f fps (%.1f faces/s, %.2f cores, %.1f CPU"
                                + " ms/frame), latency at %.1f fps p50 %.0f ms p99 %.0f ms%n",
                        r,
                        row[0],
                        bound.cores(),
                        bound.cpuMsPerFrame(),
                        row[1],
                        seed.cores(),
                        row[2],
                        row[3],
                        max.rate().cores(),
                        max.rate().cpuMsPerFrame(),
                        row[4],
                        row[5],
                        row[6]);
            }

            List<String[]> scaling = new ArrayList<>();
            for (int n : cameras) {
                for (int q : new java.util.TreeSet<>(List.of(cores, p))) {
                    JobConfig c = jobConfig(redis.url(), gallery, q, n);
                    JobBench.Result s = JobBench.run(c, framesFile, in, n, n * jobFrames, 0);
                    scaling.add(
                            new String[] {
                                Integer.toString(n),
                                Integer.toString(q),
                                f1(s.rate().fps()),
                                f1(s.rate().facesPerSecond()),
                                f1(s.rate().fps() / n)
                            });
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

            String pairTable = pairs ? pairs(in, cfg) : "";

            String soakTable = "";
            Duration soakFor = org.apache.flink.util.TimeUtils.parseDuration(soak);
            if (!soakFor.isZero()) {
                double rate = LOAD * median(rows, x -> x[2]);
                soakTable = soak(cfg, framesFile, in, rate, soakFor);
            }

            String report = report(in, p, commit, rows, scaling, pairTable + soakTable);
            System.out.print(report);
            if (!"-".equals(append)) {
                Path md = Path.of(append);
                Files.writeString(md, report, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                System.err.println("appended to " + md);
            }
            System.out.printf(
                    Locale.ROOT,
                    "bench: bound_fps=%.2f seed_fps=%.2f job_fps=%.2f job/bound=%.3f"
                            + " job/seed=%.3f p50_ms=%.0f p99_ms=%.0f%n",
                    median(rows, x -> x[0]),
                    median(rows, x -> x[1]),
                    median(rows, x -> x[2]),
                    median(rows, x -> x[2] / x[0]),
                    median(rows, x -> x[2] / x[1]),
                    median(rows, x -> x[5]),
                    median(rows, x -> x[6]));
        } finally {
            Files.deleteIfExists(framesFile);
        }
        return 0;
    }

    private JobConfig jobConfig(String redisUrl, String gallery, int p, int cams) {
        List<String> all = new ArrayList<>();
        // The bench feeds the graph from its own generator; source.uris only passes validation.
        all.add("source.uris=bench-generator");
        all.add("redis.url=" + redisUrl);
        all.add("gallery.name=" + gallery);
        all.add("parallelism=" + p);
        all.add("models.threads=" + threads);
        all.addAll(sets);
        return JobConfig.load(null, all);
    }

    private static void enrol(String url, String gallery, JobConfig cfg, Path dir) {
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

    /** Frames/s per core of each detector x embedder pair: the compute bound with one worker. */
    private String pairs(BenchInput in, JobConfig cfg) throws Exception {
        var manifest = io.facestream.model.ModelManifest.bundled();
        StringBuilder sb =
                new StringBuilder(
                        String.format(
                                Locale.ROOT,
                                "%nModel-compute bound per core (1 worker, %d ONNX thread(s),"
                                        + " batch %d) for each pair on the same frames:%n%n"
                                        + "| detector | embedder | frames/s per core | faces/s"
                                        + " per core | ms per frame |%n|---|---|---:|---:|---:|%n",
                                threads,
                                cfg.get(FacestreamOptions.EMBED_BATCH_SIZE)));
        for (var det : manifest.models()) {
            if (det.kind() != io.facestream.model.ModelSpec.Kind.DETECTOR) {
                continue;
            }
            for (var emb : manifest.models()) {
                if (emb.kind() != io.facestream.model.ModelSpec.Kind.EMBEDDER) {
                    continue;
                }
                Rate r =
                        ComputeBound.run(
                                in,
                                det,
                                emb,
                                cfg.models(),
                                1,
                                cfg.get(FacestreamOptions.EMBED_BATCH_SIZE));
                System.err.printf(
                        Locale.ROOT, "pair %s + %s: %.1f fps%n", det.id(), emb.id(), r.fps());
                sb.append(
                        String.format(
                                Locale.ROOT,
                                "| %s | %s | %.1f | %.1f | %.1f |%n",
                                det.id(),
                                emb.id(),
                                r.fps(),
                                r.facesPerSecond(),
                                1000 / r.fps()));
            }
        }
        return sb.toString();
    }

    /** The job at a fixed rate for {@code length}, the heap sampled after a GC every 15 s. */
    private static String soak(
            JobConfig cfg, Path framesFile, BenchInput in, double rate, Duration length)
            throws Exception {
        List<long[]> samples = new java.util.concurrent.CopyOnWriteArrayList<>();
        long t0 = System.nanoTime();
        var memory = ManagementFactory.getMemoryMXBean();
        var sampler =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "heap-sampler");
                            t.setDaemon(true);
                            return t;
                        });
        sampler.scheduleAtFixedRate(
                () -> {
                    System.gc();
                    samples.add(
                            new long[] {
                                (System.nanoTime() - t0) / 1_000_000_000L,
                                memory.getHeapMemoryUsage().getUsed() >> 20
                            });
                },
                15,
                15,
                java.util.concurrent.TimeUnit.SECONDS);
        long n = Math.round(rate * length.toSeconds());
        JobBench.Result r;
        try {
            r = JobBench.run(cfg, framesFile, in, 1, n, rate);
        } finally {
            sampler.shutdownNow();
        }
        StringBuilder sb = new StringBuilder();
        sb.append(
                String.format(
                        Locale.ROOT,
                        "%nSoak: %d frames at %.1f fps (%s), %.1f fps out, p50 %.0f ms, p99 %.0f"
                                + " ms, %d dead letters. Heap used after a full GC (MB) every 15"
                                + " s:%n%n",
                        n,
                        rate,
                        length,
                        r.rate().fps(),
                        r.p50Ms(),
                        r.p99Ms(),
                        r.deadLetters()));
        sb.append("| s | heap MB |\n|---:|---:|\n");
        for (long[] s : samples) {
            sb.append("| ").append(s[0]).append(" | ").append(s[1]).append(" |\n");
        }
        return sb.toString();
    }

    private String report(
            BenchInput in,
            int p,
            String commit,
            List<double[]> rows,
            List<String[]> scaling,
            String soakTable) {
        StringBuilder sb = new StringBuilder();
        sb.append(
                String.format(
                        Locale.ROOT,
                        "%n## Pipeline: job vs model-compute bound vs seed-style loop — %s%n%n"
                                + "Machine: %s. Commit %s. Command: `bin/facestream bench pipeline %s`."
                                + " Input: %d frames %dx%d of %s (JPEG q90). Job parallelism %d,"
                                + " %d ONNX thread(s) per operator; bound: %d workers (one per core)"
                                + " with the same models and threads, frames decoded and faces"
                                + " aligned beforehand; seed loop: 1 thread, ONNX on all cores,"
                                + " batch 1, synchronous Redis lookups. Latency at %.0f %% of the"
                                + " job's measured maximum; job frames in a fixed shuffled order"
                                + " (see FrameGenerator), each job run %d passes over the clip after"
                                + " one unmeasured warm-up run.%n%n",
                        Instant.now().toString().substring(0, 16).replace('T', ' '),
                        Machine.describe(),
                        commit,
                        String.join(" ", commandLine()),
                        in.frames(),
                        in.width(),
                        in.height(),
                        in.name(),
                        p,
                        threads,
                        Runtime.getRuntime().availableProcessors(),
                        LOAD * 100,
                        loops));
        sb.append(
                "| rep | bound fps | seed fps | job fps | job faces/s | job/bound | job/seed |"
                        + " paced at fps | p50 ms | p99 ms | dead letters | bound cores | job"
                        + " cores |\n"
                        + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (int i = 0; i < rows.size(); i++) {
            double[] r = rows.get(i);
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "| %d | %.1f | %.1f | %.1f | %.1f | %.2f | %.2f | %.1f | %.0f | %.0f |"
                                    + " %.0f | %.2f | %.2f |%n",
                            i + 1,
                            r[0],
                            r[1],
                            r[2],
                            r[3],
                            r[2] / r[0],
                            r[2] / r[1],
                            r[4],
                            r[5],
                            r[6],
                            r[7],
                            r[8],
                            r[9]));
        }
        sb.append(
                String.format(
                        Locale.ROOT,
                        "| **median** (min–max) | %s | %s | %s | %s | %s | %s | %s | %s | %s | | %s |"
                                + " %s |%n",
                        spread(rows, x -> x[0], "%.1f"),
                        spread(rows, x -> x[1], "%.1f"),
                        spread(rows, x -> x[2], "%.1f"),
                        spread(rows, x -> x[3], "%.1f"),
                        spread(rows, x -> x[2] / x[0], "%.2f"),
                        spread(rows, x -> x[2] / x[1], "%.2f"),
                        spread(rows, x -> x[4], "%.1f"),
                        spread(rows, x -> x[5], "%.0f"),
                        spread(rows, x -> x[6], "%.0f"),
                        spread(rows, x -> x[8], "%.2f"),
                        spread(rows, x -> x[9], "%.2f")));
        sb.append(
                "\nCameras (N copies of the clip, interleaved) × parallelism, job at full speed:\n\n"
                        + "| cameras | parallelism | job fps | faces/s | fps per camera |\n"
                        + "|---:|---:|---:|---:|---:|\n");
        for (String[] s : scaling) {
            sb.append("| ").append(String.join(" | ", s)).append(" |\n");
        }
        sb.append(soakTable);
        return sb.toString();
    }

    private List<String> commandLine() {
        List<String> args = new ArrayList<>();
        if (frames > 0) {
            args.add("--frames " + frames);
        }
        args.add("--reps " + reps);
        args.add("--loops " + loops);
        if (parallelism > 0) {
            args.add("--parallelism " + parallelism);
        }
        args.add("--threads " + threads);
        args.add("--cameras " + String.join(",", cameras.stream().map(String::valueOf).toList()));
        sets.forEach(s -> args.add("--set " + s));
        if (pairs) {
            args.add("--pairs");
        }
        if (!"0s".equals(soak)) {
            args.add("--soak " + soak);
        }
        return args;
    }

    private static String commit() {
        try {
            Process pr = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").start();
            String c = new String(pr.getInputStream().readAllBytes()).strip();
            return pr.waitFor() == 0 && !c.isEmpty() ? c : "unknown";
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static String f1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static double median(List<double[]> rows, ToDoubleFunction<double[]> f) {
        double[] v = rows.stream().mapToDouble(f).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static String spread(List<double[]> rows, ToDoubleFunction<double[]> f, String fmt) {
        double[] v = rows.stream().mapToDouble(f).sorted().toArray();
        return String.format(
                Locale.ROOT,
                fmt + " (" + fmt + "–" + fmt + ")",
                median(rows, f),
                v[0],
                v[v.length - 1]);
    }
}
