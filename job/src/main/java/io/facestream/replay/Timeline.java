package io.facestream.replay;

import io.facestream.schema.AppearanceEvent;
import io.facestream.schema.FaceAppearance;
import io.facestream.schema.MatchStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One video's timeline, built from the live job's appearance events so that replay and the job
 * agree: one {@link Appearance} per track, from the track's ENDED event (the last event the job
 * sent for it, should a track have no ENDED), with the event's JPEG as its thumbnail. No merging or
 * re-tracking happens here: the tracker already decided which faces belong together. An unknown
 * track with a pseudonym (the job's {@code unknowns.enabled}) is labelled with it, so one
 * stranger's appearances share one lane and one label in every video. Pure and deterministic:
 * appearances are sorted by (start, first sequence, track id), whatever order the events arrived
 * in.
 *
 * @param appearances every track, in start order
 * @param thumbnails the tracks' best-quality faces as JPEG, by {@link Appearance#key()} (tracks
 *     with no face that passed the gates have none)
 */
public record Timeline(List<Appearance> appearances, Map<String, byte[]> thumbnails) {

    /**
     * The timeline of {@code video} from its events; times become relative to {@code originMs}, the
     * media time of the video's first frame.
     */
    public static Timeline of(String video, List<FaceAppearance> events, long originMs) {
        Map<Long, FaceAppearance> last = new HashMap<>();
        for (FaceAppearance e : events) {
            last.merge(e.getTrackId(), e, Timeline::later);
        }
        List<FaceAppearance> tracks = new ArrayList<>(last.values());
        tracks.sort(
                Comparator.comparingLong((FaceAppearance e) -> e.getFirstTimestamp().toEpochMilli())
                        .thenComparingLong(FaceAppearance::getFirstSequence)
                        .thenComparingLong(FaceAppearance::getTrackId));
        Map<String, Integer> ordinals = new HashMap<>();
        Map<MatchStatus, Integer> anonymous = new HashMap<>();
        List<Appearance> out = new ArrayList<>();
        Map<String, byte[]> thumbs = new LinkedHashMap<>();
        for (FaceAppearance e : tracks) {
            String pseudonym = e.getStatus() == MatchStatus.UNKNOWN ? e.getPseudonym() : null;
            String identity =
                    e.getStatus() == MatchStatus.MATCHED && e.getIdentity() != null
                            ? e.getIdentity()
                            : pseudonym != null
                                    ? pseudonym
                                    : label(e.getStatus())
                                            + "-"
                                            + anonymous.merge(e.getStatus(), 1, Integer::sum);
            Appearance a =
                    new Appearance(
                            video,
                            e.getTrackId(),
                            identity,
                            e.getStatus(),
                            e.getStatus() == MatchStatus.NOT_RECOGNISABLE ? e.getReason() : null,
                            ordinals.merge(identity, 1, Integer::sum),
                            e.getFirstTimestamp().toEpochMilli() - originMs,
                            e.getLastTimestamp().toEpochMilli() - originMs,
                            e.getFirstSequence(),
                            e.getLastSequence(),
                            e.getFramesSeen(),
                            e.getFacesEmbedded(),
                            e.getSimilarity() == null ? Double.NaN : e.getSimilarity(),
                            pseudonym);
            out.add(a);
            byte[] jpeg = Thumbnails.of(e);
            if (jpeg != null) {
                thumbs.put(a.key(), jpeg);
            }
        }
        return new Timeline(List.copyOf(out), thumbs);
    }

    /** Tracks not recognisable, by the gate they failed most (lower-case), sorted by reason. */
    public Map<String, Integer> notRecognisableByReason() {
        Map<String, Integer> out = new TreeMap<>();
        for (Appearance a : appearances) {
            if (a.status() == MatchStatus.NOT_RECOGNISABLE) {
                out.merge(reasonLabel(a.reason()), 1, Integer::sum);
            }
        }
        return out;
    }

    /**
     * {@code POSE} → {@code pose}, {@code TOO_SMALL} → {@code too small}; null → {@code unknown
     * reason}.
     */
    static String reasonLabel(String reason) {
        return reason == null
                ? "unknown reason"
                : reason.toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    private static String label(MatchStatus s) {
        return switch (s) {
            case NOT_RECOGNISABLE -> "not-recognisable";
            case LOOKUP_FAILED -> "lookup-failed";
            default -> "unknown";
        };
    }

    /** ENDED wins; otherwise the event that saw the track longest. */
    private static FaceAppearance later(FaceAppearance a, FaceAppearance b) {
        if ((a.getEvent() == AppearanceEvent.ENDED) != (b.getEvent() == AppearanceEvent.ENDED)) {
            return a.getEvent() == AppearanceEvent.ENDED ? a : b;
        }
        return b.getFramesSeen() > a.getFramesSeen() ? b : a;
    }
}
