package io.facestream.replay;

import io.facestream.flink.Frames;
import io.facestream.schema.AnnotatedFrame;
import io.facestream.schema.DeadLetter;
import io.facestream.schema.FaceIdentity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a replay collected, per video: identity records, frames done, the JPEGs of frames that had
 * faces (thumbnails are cut from them; frames without faces are counted, not kept), and dead
 * letters. Filled concurrently by the collector threads, read after {@link #finish}.
 */
public final class ReplayResult {
    private final ReplayInputs inputs;
    private final Map<String, List<FaceIdentity>> identities = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> framesDone = new ConcurrentHashMap<>();
    private final Map<String, byte[]> jpegs = new ConcurrentHashMap<>();
    private final List<DeadLetter> deadLetters =
            java.util.Collections.synchronizedList(new ArrayList<>());
    private double seconds;

    ReplayResult(ReplayInputs inputs) {
        this.inputs = inputs;
    }

    void add(FaceIdentity r) {
        identities.computeIfAbsent(r.getCameraId(), k -> new java.util.Vector<>()).add(r);
    }

    void add(AnnotatedFrame f) {
        framesDone.computeIfAbsent(f.getCameraId(), k -> new AtomicInteger()).incrementAndGet();
        if (!f.getFaces().isEmpty()) {
            jpegs.put(key(f.getCameraId(), f.getSequence()), Frames.bytes(f.getJpeg()));
        }
    }

    void add(DeadLetter d) {
        deadLetters.add(d);
    }

    void finish(double seconds) {
        this.seconds = seconds;
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

    public int framesDone(String video) {
        AtomicInteger n = framesDone.get(video);
        return n == null ? 0 : n.get();
    }

    /** The annotated frame's JPEG, or null when the frame had no faces or never arrived. */
    public byte[] jpeg(String video, long sequence) {
        return jpegs.get(key(video, sequence));
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
                    out.computeIfAbsent(v.id(), k -> new ArrayList<>())
                            .add(
                                    d.getStage()
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

    private static String key(String video, long sequence) {
        return video + "#" + sequence;
    }
}
