package io.facestream.track;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Tracks the faces of one camera across frames (SORT's update loop with ByteTrack's two passes).
 * Each frame: every live track's {@link KalmanBoxFilter} predicts its box; detections scoring at
 * least {@link TrackerSettings#highScore()} are matched with all live tracks (tentative, confirmed,
 * lost) by {@link Association}; the remaining detections are matched with the tracks left over;
 * every detection still unmatched starts a tentative track. A low-score detection starts a track
 * too, because every detection must carry a track id downstream; such a track is tentative and, if
 * it was a false detection, ends at its first miss without ever being confirmed. Tracks then move
 * through their {@link TrackLifecycle}; ended tracks are reported once and dropped, so state holds
 * live tracks only. Ids count up from 1 per tracker and are never reused.
 *
 * <p>Deterministic: the same frames give the same steps, also across {@link #snapshot()} and {@link
 * #restore}. Not thread-safe; one instance per camera.
 */
public final class FaceTracker {
    private static final byte SNAPSHOT_VERSION = 1;

    private final TrackerSettings settings;

    /** Live tracks by increasing id (new tracks are appended, ended ones removed). */
    private final List<Track> tracks;

    private long nextId;
    private boolean started;
    private long lastSequence;

    public FaceTracker(TrackerSettings settings) {
        this(settings, new ArrayList<>(), 1, false, 0);
    }

    private FaceTracker(
            TrackerSettings settings,
            List<Track> tracks,
            long nextId,
            boolean started,
            long lastSequence) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.tracks = tracks;
        this.nextId = nextId;
        this.started = started;
        this.lastSequence = lastSequence;
    }

    /**
     * Tracks one frame. Frames come in strictly increasing sequence order; the sequence may jump
     * (dropped or sampled frames): the motion model predicts once per step and the missing frames
     * count towards {@link TrackerSettings#maxLostFrames()}.
     *
     * @return one assignment per detection (same order) and the tracks that ended now
     * @throws IllegalArgumentException when {@code sequence} is not after the previous frame's
     */
    public TrackerStep update(long sequence, List<Detection> detections) {
        if (started && sequence <= lastSequence) {
            throw new IllegalArgumentException(
                    "frame sequence "
                            + sequence
                            + " is not after the previous frame's "
                            + lastSequence);
        }
        int maxLost = settings.maxLostFrames();
        // Tracks that survive expire() missed at most maxLost frames, so this loop is bounded.
        long steps = started ? sequence - lastSequence : 1;
        for (Track t : tracks) {
            t.lifecycle.expire(sequence, maxLost);
            if (!t.lifecycle.ended()) {
                if (t.lifecycle.state() == TrackState.LOST) {
                    t.motion.freezeSize();
                }
                for (long s = 0; s < steps; s++) {
                    t.motion.predict();
                }
            }
        }

        int[] detToTrack = associate(detections);
        boolean[] trackMatched = new boolean[tracks.size()];
        TrackAssignment[] assignments = new TrackAssignment[detections.size()];
        for (int i = 0; i < assignments.length; i++) {
            if (detToTrack[i] >= 0) {
                Detection d = detections.get(i);
                Track t = tracks.get(detToTrack[i]);
                trackMatched[detToTrack[i]] = true;
                t.motion.update(d.x1(), d.y1(), d.x2(), d.y2());
                t.lifecycle.onMatch(sequence, settings.minHits());
                assignments[i] = assign(t, sequence, d, false);
            }
        }
        List<EndedTrack> ended = new ArrayList<>();
        List<Track> live = new ArrayList<>(tracks.size() + assignments.length);
        for (int j = 0; j < tracks.size(); j++) {
            Track t = tracks.get(j);
            if (!trackMatched[j] && !t.lifecycle.ended()) {
                t.lifecycle.onMiss(sequence, maxLost);
            }
            if (t.lifecycle.ended()) {
                ended.add(t.ended());
            } else {
                live.add(t);
            }
        }
        for (int i = 0; i < assignments.length; i++) {
            if (assignments[i] == null) {
                Detection d = detections.get(i);
                Track t =
                        new Track(
                                nextId++,
                                KalmanBoxFilter.start(d.x1(), d.y1(), d.x2(), d.y2()),
                                TrackLifecycle.born(sequence, settings.minHits()),
                                new EmbedSchedule());
                live.add(t);
                assignments[i] = assign(t, sequence, d, true);
            }
        }
        tracks.clear();
        tracks.addAll(live);
        started = true;
        lastSequence = sequence;
        return new TrackerStep(sequence, Arrays.asList(assignments), ended);
    }

    private TrackAssignment assign(Track t, long sequence, Detection d, boolean newTrack) {
        boolean embed =
                t.schedule.decide(settings.schedule(), sequence, d.quality(), d.passesGate());
        return new TrackAssignment(t.id, t.lifecycle.state(), newTrack, embed);
    }

    /**
     * Two passes: high-score detections against all live tracks, then the rest against the rest.
     */
    private int[] associate(List<Detection> detections) {
        int[] detToTrack = new int[detections.size()];
        Arrays.fill(detToTrack, -1);
        boolean[] taken = new boolean[tracks.size()];
        for (int pass = 0; pass < 2; pass++) {
            List<Integer> dets = new ArrayList<>();
            for (int i = 0; i < detections.size(); i++) {
                boolean high = detections.get(i).score() >= settings.highScore();
                if (high == (pass == 0)) {
                    dets.add(i);
                }
            }
            List<Integer> cands = new ArrayList<>();
            for (int j = 0; j < tracks.size(); j++) {
                if (!taken[j] && !tracks.get(j).lifecycle.ended()) {
                    cands.add(j);
                }
            }
            if (dets.isEmpty() || cands.isEmpty()) {
                continue;
            }
            double[][] iou = new double[dets.size()][cands.size()];
            for (int a = 0; a < dets.size(); a++) {
                for (int b = 0; b < cands.size(); b++) {
                    iou[a][b] = tracks.get(cands.get(b)).iou(detections.get(dets.get(a)));
                }
            }
            int[] match = Association.match(iou, settings.minIou());
            for (int a = 0; a < match.length; a++) {
                if (match[a] >= 0) {
                    int j = cands.get(match[a]);
                    detToTrack[dets.get(a)] = j;
                    taken[j] = true;
                }
            }
        }
        return detToTrack;
    }

    /** Ends every live track (end of stream, camera stopped), by increasing id. */
    public List<EndedTrack> endAll() {
        List<EndedTrack> ended = new ArrayList<>(tracks.size());
        for (Track t : tracks) {
            t.lifecycle.end();
            ended.add(t.ended());
        }
        tracks.clear();
        return ended;
    }

    /** Tracks not yet ended: tentative, confirmed or lost. */
    public int liveTracks() {
        return tracks.size();
    }

    /** Sequence of the last frame tracked, or {@link Long#MIN_VALUE} before the first one. */
    public long lastSequence() {
        return started ? lastSequence : Long.MIN_VALUE;
    }

    /** The whole state, compact and deterministic (the same state gives the same bytes). */
    public byte[] snapshot() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 + 230 * tracks.size());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(SNAPSHOT_VERSION);
            out.writeLong(nextId);
            out.writeBoolean(started);
            out.writeLong(lastSequence);
            out.writeInt(tracks.size());
            for (Track t : tracks) {
                t.write(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * A tracker that continues exactly where the one that took {@code snapshot} stopped.
     *
     * @throws IllegalArgumentException when the bytes are not a tracker snapshot of this version
     */
    public static FaceTracker restore(TrackerSettings settings, byte[] snapshot) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot))) {
            byte version = in.readByte();
            if (version != SNAPSHOT_VERSION) {
                throw new IllegalArgumentException(
                        "tracker snapshot version " + version + ", expected " + SNAPSHOT_VERSION);
            }
            long nextId = in.readLong();
            boolean started = in.readBoolean();
            long lastSequence = in.readLong();
            int count = in.readInt();
            List<Track> tracks = new ArrayList<>(Math.max(0, Math.min(count, 1024)));
            for (int k = 0; k < count; k++) {
                tracks.add(Track.read(in));
            }
            if (in.available() > 0) {
                throw new IllegalArgumentException("tracker snapshot has trailing bytes");
            }
            return new FaceTracker(settings, tracks, nextId, started, lastSequence);
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated tracker snapshot", e);
        }
    }
}
