package io.facestream.replay;

import io.facestream.flink.Frames;
import io.facestream.schema.AnnotatedFrame;
import io.facestream.schema.DeadLetter;
import io.facestream.schema.FaceAppearance;
import io.facestream.schema.FaceIdentity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a replay collected, per video: identity records, appearance events, frames done, the frame
 * pictures when {@code keepAllFrames} (for annotated videos; kept in a temporary spool folder on
 * disk, not in memory, so hours of video fit), and dead letters. Filled concurrently by the
 * collector threads, read after {@link #finish}; {@link #close} deletes the spool.
 */
public final class ReplayResult implements AutoCloseable {
    private final ReplayInputs inputs;
    private final boolean keepAllFrames;
    private final Path spool;
    private final Map<String, Integer> videoIndex = new HashMap<>();
    private final Map<String, List<FaceIdentity>> identities = new ConcurrentHashMap<>();
    private final Map<String, List<FaceAppearance>> appearances = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> framesDone = new ConcurrentHashMap<>();
    private final Map<String, java.util.Set<Long>> spooled = new ConcurrentHashMap<>();
    private final List<DeadLetter> deadLetters =
            java.util.Collections.synchronizedList(new ArrayList<>());
    private volatile IOException spoolError;
    private double seconds;

    ReplayResult(ReplayInputs inputs, boolean keepAllFrames) throws IOException {
        this.inputs = inputs;
        this.keepAllFrames = keepAllFrames;
        // In the folder java.io.tmpdir names now, not the one the JVM started with (where
        // Files.createTempDirectory(prefix) would put it): for the CLI, its private temp folder,
        // which goes at exit even on Ctrl-C, so frames with faces are not left behind.
        this.spool =
                Files.createTempDirectory(
                        Path.of(System.getProperty("java.io.tmpdir")), "facestream-replay-frames");
        for (int i = 0; i < inputs.videos().size(); i++) {
            videoIndex.put(inputs.videos().get(i).id(), i);
        }
    }

    void add(FaceIdentity r) {
        identities.computeIfAbsent(r.getCameraId(), k -> new java.util.Vector<>()).add(r);
    }

    void add(FaceAppearance a) {
        appearances.computeIfAbsent(a.getCameraId(), k -> new java.util.Vector<>()).add(a);
    }

    void add(AnnotatedFrame f) {
        // Thumbnails come with the appearance events, so only annotated videos need the pictures.
        if (keepAllFrames) {
            try {
                Path file = file(f.getCameraId(), f.getSequence());
                Files.createDirectories(file.getParent());
                Files.write(file, Frames.bytes(f.getJpeg()));
                spooled.computeIfAbsent(
                                f.getCameraId(),
                                k -> new java.util.concurrent.ConcurrentSkipListSet<>())
                        .add(f.getSequence());
            } catch (IOException e) {
                spoolError = e; // a full temp disk: reported at finish, not swallowed
            }
        }
        framesDone.computeIfAbsent(f.getCameraId(), k -> new AtomicInteger()).incrementAndGet();
    }

    /** Frames done so far per video id (safe while the job runs). */
    public Map<String, Integer> framesDoneSnapshot() {
        Map<String, Integer> out = new HashMap<>();
        framesDone.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    void add(DeadLetter d) {
        deadLetters.add(d);
    }

    void finish(double seconds) throws IOException {
        this.seconds = seconds;
        if (spoolError != null) {
            throw new IOException(
                    "cannot keep frames in " + spool + ": " + spoolError.getMessage(), spoolError);
        }
    }

    public ReplayInputs inputs() {
        return inputs;
    }

    /** Wall-clock seconds from submission to the job's end. */
    public double seconds() {
        return seconds;
    }

    public List<FaceIdentity> identities(String video) {
        return List.copyOf(identities.getOrDefault(video, List.of()));
    }

    /** The job's appearance events for {@code video}, in arrival order. */
    public List<FaceAppearance> appearances(String video) {
        return List.copyOf(appearances.getOrDefault(video, List.of()));
    }

    public int framesDone(String video) {
        AtomicInteger n = framesDone.get(video);
        return n == null ? 0 : n.get();
    }

    /** The frame's JPEG (as the source decoded it), or null when it was not kept or never came. */
    public byte[] jpeg(String video, long sequence) {
        Path f = file(video, sequence);
        try {
            return Files.exists(f) ? Files.readAllBytes(f) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sequences of the frames kept for {@code video}, ascending. */
    public List<Long> keptSequences(String video) {
        var s = spooled.get(video);
        return s == null ? List.of() : List.copyOf(s);
    }

    /**
     * Per video id, the reasons it failed: the dead letters that name its file (it could not be
     * opened, or decoding broke off part-way; frames read before the break still count).
     */
    public Map<String, List<String>> failures() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        List<DeadLetter> copy;
        synchronized (deadLetters) {
            copy = new ArrayList<>(deadLetters);
        }
        for (ReplayInputs.Video v : inputs.videos()) {
            for (DeadLetter d : copy) {
                if (d.getSource().contains(v.path().toString())) {
                    // The source says in plain words what happened to a file (CameraErrors);
                    // its error class (FFmpeg's, through JavaCV) would only add jargon.
                    boolean source =
                            io.facestream.flink.source.SourceRecords.STAGE.equals(d.getStage());
                    out.computeIfAbsent(v.id(), k -> new ArrayList<>())
                            .add(
                                    source
                                            ? d.getErrorMessage()
                                            : d.getStage()
                                                    + ": "
                                                    + d.getErrorClass()
                                                    + ": "
                                                    + d.getErrorMessage());
                }
            }
        }
        out.values().forEach(l -> l.sort(null));
        return out;
    }

    public List<DeadLetter> deadLetters() {
        synchronized (deadLetters) {
            return List.copyOf(deadLetters);
        }
    }

    private Path file(String video, long sequence) {
        Integer i = videoIndex.get(video);
        // video ids are file names, possibly with characters a folder name should not carry
        return spool.resolve(i == null ? "other" : Integer.toString(i)).resolve(sequence + ".jpg");
    }

    @Override
    public void close() {
        try (var paths = Files.walk(spool)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp folder left behind is not worth failing a finished replay for
        }
    }
}
