package io.facestream.flink;

import io.facestream.schema.AppearanceEvent;
import io.facestream.schema.FaceAlert;
import io.facestream.schema.FaceAppearance;
import io.facestream.schema.MatchStatus;
import io.facestream.schema.internal.TrackAppearanceState;
import io.facestream.track.IdentityVote;
import io.facestream.track.VoteSettings;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One live track's appearance: its identity vote, when and how often it was seen, its best face,
 * and which appearance events it has announced. Pure (no Flink): {@link TrackAssembler} keeps one
 * per track in keyed state as a {@link TrackAppearanceState} and asks it for events.
 */
public final class TrackAppearances {
    private final TrackAppearanceState s;
    private final IdentityVote vote;
    private final VoteSettings voteSettings;
    private List<String> matchedLists = List.of();

    private TrackAppearances(TrackAppearanceState s, IdentityVote vote, VoteSettings settings) {
        this.s = s;
        this.vote = vote;
        this.voteSettings = settings;
    }

    /** A track first seen in the given frame. */
    public static TrackAppearances start(
            long trackId, long sequence, long timestamp, VoteSettings settings) {
        IdentityVote vote = new IdentityVote(settings);
        TrackAppearanceState s =
                TrackAppearanceState.newBuilder()
                        .setTrackId(trackId)
                        .setVote(ByteBuffer.wrap(vote.snapshot()))
                        .setFirstTimestamp(timestamp)
                        .setLastTimestamp(timestamp)
                        .setFirstSequence(sequence)
                        .setLastSequence(sequence)
                        .setFramesSeen(0)
                        .setFacesEmbedded(0)
                        .setFacesPassed(0)
                        .setBestQuality(-1)
                        .setReasonCounts(new HashMap<>())
                        .setIdentityLists(new HashMap<>())
                        .build();
        return new TrackAppearances(s, vote, settings);
    }

    public static TrackAppearances of(TrackAppearanceState s, VoteSettings settings) {
        return new TrackAppearances(
                s, IdentityVote.restore(settings, Frames.bytes(s.getVote())), settings);
    }

    /** The state to keep, with the vote's current snapshot. */
    public TrackAppearanceState state() {
        s.setVote(ByteBuffer.wrap(vote.snapshot()));
        return s;
    }

    /** One face of the track in one frame; {@code gateReason} null when it passed the gates. */
    public void seen(long sequence, long timestamp, String gateReason) {
        s.setFramesSeen(s.getFramesSeen() + 1);
        s.setLastSequence(Math.max(s.getLastSequence(), sequence));
        s.setLastTimestamp(Math.max(s.getLastTimestamp(), timestamp));
        if (gateReason == null) {
            s.setFacesPassed(s.getFacesPassed() + 1);
        } else {
            Map<String, Integer> counts = new HashMap<>(s.getReasonCounts());
            counts.merge(gateReason, 1, Integer::sum);
            s.setReasonCounts(counts);
        }
    }

    /** An embedded face's decision: identity null for UNKNOWN. */
    public void decided(String identity, float similarity, float weight) {
        decided(identity, similarity, weight, null);
    }

    /**
     * An embedded face's decision, with the watchlists the lookup reported for {@code identity}
     * (null: not reported, keep what is known).
     */
    public void decided(String identity, float similarity, float weight, List<String> lists) {
        s.setFacesEmbedded(s.getFacesEmbedded() + 1);
        vote.add(identity, similarity, Math.max(weight, 0.05f));
        if (identity != null && lists != null) {
            Map<String, List<String>> known = new HashMap<>(s.getIdentityLists());
            known.put(identity, List.copyOf(lists));
            s.setIdentityLists(known);
        }
    }

    /** The watchlists the lookups last reported for {@code identity}; empty if none. */
    public List<String> reportedLists(String identity) {
        List<String> l = s.getIdentityLists().get(identity);
        return l == null ? List.of() : l;
    }

    /**
     * Brings the vote in line with the gallery as read at {@code version}: names that are gone (or
     * no longer matchable on this camera) are dropped, and when the gallery changed since the last
     * check the UNKNOWN decisions are dropped too (they were made without whoever was enrolled
     * since). {@code stillNamed} says whether a name may still be this track's identity.
     */
    public void reconcile(long version, java.util.function.Predicate<String> stillNamed) {
        for (String name : List.copyOf(vote.names())) {
            if (!stillNamed.test(name)) {
                vote.forget(name);
            }
        }
        if (version != s.getGalleryVersion()) {
            vote.forgetUnknown();
            s.setGalleryVersion(version);
        }
    }

    /** The lists the next announced event (and alert) reports as matched. */
    public void matchedLists(List<String> lists) {
        this.matchedLists = lists == null ? List.of() : List.copyOf(lists);
    }

    /**
     * The alert due now, or null: once per appearance, when the track's identity is on {@code
     * alerting} (the identity's lists among those that alert on the camera, sorted) and the
     * appearance has not alerted for that identity yet.
     */
    public FaceAlert alertDue(
            String camera, List<String> alerting, long sequence, long timestamp, String gallery) {
        String id = vote.identity();
        if (id == null || alerting.isEmpty() || id.equals(s.getAlertedIdentity())) {
            return null;
        }
        s.setAlertedIdentity(id);
        return FaceAlert.newBuilder()
                .setCameraId(camera)
                .setTrackId(s.getTrackId())
                .setIdentity(id)
                .setList(alerting.get(0))
                .setLists(List.copyOf(alerting))
                .setSimilarity(similarity())
                .setTimestamp(Instant.ofEpochMilli(timestamp))
                .setFirstTimestamp(Instant.ofEpochMilli(s.getFirstTimestamp()))
                .setFrameSequence(sequence)
                .setThumbnail(s.getThumbnail())
                .setGallery(gallery)
                .setEmitTime(Instant.now())
                .build();
    }

    public void lookupFailed() {
        s.setLookupFailures(s.getLookupFailures() + 1);
    }

    /** True when {@code quality} beats the best face kept so far (the caller then offers one). */
    public boolean wantsThumbnail(float quality) {
        return quality > s.getBestQuality();
    }

    public void thumbnail(byte[] jpeg, float quality) {
        s.setBestQuality(quality);
        s.setThumbnail(ByteBuffer.wrap(jpeg));
    }

    public String identity() {
        return vote.identity();
    }

    /** The track's best similarity to its identity (to anyone, when it has none); null if none. */
    public Float similarity() {
        return vote.decisions() == 0 ? null : vote.bestSimilarity();
    }

    public MatchStatus status() {
        if (vote.identity() != null) {
            return MatchStatus.MATCHED;
        }
        if (vote.decisions() > 0) {
            return MatchStatus.UNKNOWN;
        }
        if (s.getFacesPassed() == 0 && !s.getReasonCounts().isEmpty()) {
            return MatchStatus.NOT_RECOGNISABLE;
        }
        return s.getLookupFailures() > 0 ? MatchStatus.LOOKUP_FAILED : MatchStatus.UNKNOWN;
    }

    /** The gate its faces failed most often (ties by name), or null. */
    public String mainReason() {
        String best = null;
        int n = 0;
        for (var e : new java.util.TreeMap<>(s.getReasonCounts()).entrySet()) {
            if (e.getValue() > n) {
                best = e.getKey();
                n = e.getValue();
            }
        }
        return best;
    }

    /**
     * The event due now, or null: STARTED once the track is confirmed, IDENTIFIED when its identity
     * is decided or changes after that.
     */
    public FaceAppearance due(String camera, boolean confirmed, String gallery) {
        if (!s.getStarted()) {
            if (!confirmed) {
                return null;
            }
            s.setStarted(true);
            return announce(camera, AppearanceEvent.STARTED, gallery);
        }
        String id = vote.identity();
        if (id != null && !id.equals(s.getAnnouncedIdentity())) {
            return announce(camera, AppearanceEvent.IDENTIFIED, gallery);
        }
        return null;
    }

    /** The ENDED event, or null for a track that was never confirmed (a flicker). */
    public FaceAppearance ended(String camera, String gallery) {
        return s.getStarted() ? announce(camera, AppearanceEvent.ENDED, gallery) : null;
    }

    public boolean started() {
        return s.getStarted();
    }

    private FaceAppearance announce(String camera, AppearanceEvent event, String gallery) {
        MatchStatus status = status();
        s.setAnnouncedIdentity(vote.identity());
        s.setAnnouncedStatus(status.name());
        return FaceAppearance.newBuilder()
                .setCameraId(camera)
                .setTrackId(s.getTrackId())
                .setEvent(event)
                .setStatus(status)
                .setIdentity(vote.identity())
                .setSimilarity(similarity())
                .setFirstTimestamp(Instant.ofEpochMilli(s.getFirstTimestamp()))
                .setLastTimestamp(Instant.ofEpochMilli(s.getLastTimestamp()))
                .setFirstSequence(s.getFirstSequence())
                .setLastSequence(s.getLastSequence())
                .setFramesSeen(s.getFramesSeen())
                .setFacesEmbedded(s.getFacesEmbedded())
                .setThumbnail(s.getThumbnail())
                .setReason(status == MatchStatus.NOT_RECOGNISABLE ? mainReason() : null)
                .setGallery(gallery)
                .setLists(vote.identity() == null ? List.of() : matchedLists)
                .setEmitTime(Instant.now())
                .build();
    }

    VoteSettings voteSettings() {
        return voteSettings;
    }
}
