package io.facestream.replay;

import io.facestream.schema.Box;
import io.facestream.schema.Candidate;
import io.facestream.schema.FaceIdentity;
import io.facestream.schema.MatchStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the identity records of one video into {@link Appearance}s. Matches of one identity merge
 * while the gap between consecutive sightings is at most {@code maxGapMs}; UNKNOWN faces are linked
 * frame to frame into tracks by box overlap (IoU at least {@code minIoU}, greedy, best overlap
 * first), with the same gap rule, so each stranger forms a track. LOOKUP_FAILED faces are neither
 * matched nor unknown: they are only counted. Pure and deterministic: the input is sorted here by
 * (timestamp, sequence, face index), so arrival order does not matter.
 */
public final class AppearanceMerger {
    /** Default gap tolerance: sightings less than a second apart belong together. */
    public static final long DEFAULT_MAX_GAP_MS = 1000;

    /** Default box overlap for an unknown face to continue a track. */
    public static final double DEFAULT_MIN_IOU = 0.3;

    /** The appearances, sorted by start then identity, and the faces whose lookup failed. */
    public record Result(List<Appearance> appearances, int lookupFailed) {}

    private final long maxGapMs;
    private final double minIoU;

    public AppearanceMerger(long maxGapMs, double minIoU) {
        if (maxGapMs < 0) {
            throw new IllegalArgumentException("maxGapMs must be >= 0, got " + maxGapMs);
        }
        if (!(minIoU > 0 && minIoU <= 1)) {
            throw new IllegalArgumentException("minIoU must be in (0, 1], got " + minIoU);
        }
        this.maxGapMs = maxGapMs;
        this.minIoU = minIoU;
    }

    public AppearanceMerger() {
        this(DEFAULT_MAX_GAP_MS, DEFAULT_MIN_IOU);
    }

    public Result merge(String video, List<FaceIdentity> records) {
        List<FaceIdentity> sorted = new ArrayList<>(records);
        sorted.sort(
                Comparator.comparingLong((FaceIdentity r) -> r.getTimestamp().toEpochMilli())
                        .thenComparingLong(FaceIdentity::getFrameSequence)
                        .thenComparingInt(FaceIdentity::getFaceIndex));
        List<Run> done = new ArrayList<>();
        Map<String, Run> open = new HashMap<>();
        List<Run> tracks = new ArrayList<>();
        int failed = 0;
        int i = 0;
        while (i < sorted.size()) {
            long seq = sorted.get(i).getFrameSequence();
            List<FaceIdentity> unknown = new ArrayList<>();
            for (; i < sorted.size() && sorted.get(i).getFrameSequence() == seq; i++) {
                FaceIdentity r = sorted.get(i);
                if (r.getStatus() == MatchStatus.LOOKUP_FAILED) {
                    failed++;
                } else if (r.getStatus() == MatchStatus.UNKNOWN) {
                    unknown.add(r);
                } else {
                    Run run = open.get(r.getIdentity());
                    if (run == null || ts(r) - run.end > maxGapMs) {
                        if (run != null) {
                            done.add(run);
                        }
                        run = new Run(r.getIdentity(), true);
                        open.put(r.getIdentity(), run);
                    }
                    run.add(r);
                }
            }
            if (!unknown.isEmpty()) {
                linkUnknown(unknown, tracks, done);
            }
        }
        done.addAll(open.values());
        done.addAll(tracks);
        return new Result(name(video, done), failed);
    }

    /** Greedy assignment of this frame's unknown faces to live tracks, best overlap first. */
    private void linkUnknown(List<FaceIdentity> faces, List<Run> tracks, List<Run> done) {
        long now = ts(faces.get(0));
        for (var it = tracks.iterator(); it.hasNext(); ) {
            Run t = it.next();
            if (now - t.end > maxGapMs) {
                done.add(t);
                it.remove();
            }
        }
        record Pair(int face, Run track, double iou) {}
        List<Pair> pairs = new ArrayList<>();
        for (int f = 0; f < faces.size(); f++) {
            for (Run t : tracks) {
                double iou = iou(faces.get(f).getBox(), t.lastBox);
                if (iou >= minIoU) {
                    pairs.add(new Pair(f, t, iou));
                }
            }
        }
        pairs.sort(Comparator.comparingDouble(Pair::iou).reversed());
        Set<Integer> usedFaces = new HashSet<>();
        Set<Run> usedTracks = new HashSet<>();
        for (Pair p : pairs) {
            if (!usedFaces.contains(p.face()) && !usedTracks.contains(p.track())) {
                usedFaces.add(p.face());
                usedTracks.add(p.track());
                p.track().add(faces.get(p.face()));
            }
        }
        for (int f = 0; f < faces.size(); f++) {
            if (!usedFaces.contains(f)) {
                Run t = new Run(null, false);
                t.add(faces.get(f));
                tracks.add(t);
            }
        }
    }

    /** Sorts by start and numbers unknown tracks and each identity's appearances. */
    private static List<Appearance> name(String video, List<Run> runs) {
        runs.sort(
                Comparator.comparingLong((Run r) -> r.start)
                        .thenComparingLong(r -> r.firstSequence)
                        .thenComparingDouble(r -> r.firstX)
                        .thenComparing(r -> r.identity == null ? "" : r.identity));
        Map<String, Integer> ordinals = new LinkedHashMap<>();
        int unknowns = 0;
        List<Appearance> out = new ArrayList<>();
        for (Run r : runs) {
            String id = r.matched ? r.identity : "unknown-" + ++unknowns;
            int n = ordinals.merge(id, 1, Integer::sum);
            out.add(
                    new Appearance(
                            video,
                            id,
                            r.matched,
                            n,
                            r.start,
                            r.end,
                            r.frames.size(),
                            r.scored == 0 ? Double.NaN : r.best,
                            r.scored == 0 ? Double.NaN : r.sum / r.scored,
                            r.bestSequence,
                            r.bestBox));
        }
        return out;
    }

    static double iou(Box a, Box b) {
        double w = Math.min(a.getX2(), b.getX2()) - Math.max(a.getX1(), b.getX1());
        double h = Math.min(a.getY2(), b.getY2()) - Math.max(a.getY1(), b.getY1());
        if (w <= 0 || h <= 0) {
            return 0;
        }
        double inter = w * h;
        return inter / (area(a) + area(b) - inter);
    }

    private static double area(Box b) {
        return Math.max(0, b.getX2() - b.getX1()) * Math.max(0, b.getY2() - b.getY1());
    }

    private static long ts(FaceIdentity r) {
        return r.getTimestamp().toEpochMilli();
    }

    /**
     * The similarity a face is scored by: its match's, else its best candidate's (an unknown face's
     * nearest gallery entry), else NaN.
     */
    static double similarity(FaceIdentity r) {
        if (r.getSimilarity() != null) {
            return r.getSimilarity();
        }
        double best = Double.NaN;
        for (Candidate c : r.getCandidates()) {
            if (Double.isNaN(best) || c.getSimilarity() > best) {
                best = c.getSimilarity();
            }
        }
        return best;
    }

    /** An appearance being built. */
    private static final class Run {
        final String identity;
        final boolean matched;
        final Set<Long> frames = new HashSet<>();
        long start = Long.MIN_VALUE;
        long end;
        long firstSequence;
        double firstX;
        double best = Double.NEGATIVE_INFINITY;
        double sum;
        int scored;
        long bestSequence = -1;
        Box bestBox;
        Box lastBox;
        // unscored faces (no candidates) still need a thumbnail: the highest detection score
        float bestDetection = Float.NEGATIVE_INFINITY;

        Run(String identity, boolean matched) {
            this.identity = identity;
            this.matched = matched;
        }

        void add(FaceIdentity r) {
            if (start == Long.MIN_VALUE) {
                start = ts(r);
                firstSequence = r.getFrameSequence();
                firstX = r.getBox().getX1();
            }
            end = ts(r);
            frames.add(r.getFrameSequence());
            lastBox = r.getBox();
            double s = similarity(r);
            if (!Double.isNaN(s)) {
                sum += s;
                scored++;
                if (s > best) {
                    best = s;
                    bestSequence = r.getFrameSequence();
                    bestBox = r.getBox();
                }
            } else if (scored == 0 && r.getDetectionScore() > bestDetection) {
                bestDetection = r.getDetectionScore();
                bestSequence = r.getFrameSequence();
                bestBox = r.getBox();
            }
        }
    }
}
