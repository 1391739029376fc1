package io.facestream.flink;

import io.facestream.schema.AppearanceEvent;
import io.facestream.schema.FaceAppearance;
import io.facestream.schema.MatchStatus;
import io.facestream.schema.internal.TrackAppearanceState;
import io.facestream.track.IdentityVote;
import io.facestream.track.VoteSettings;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
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
        s.setFacesEmbedded(s.getFacesEmbedded() + 1);
        vote.add(identity, similarity, Math.max(weight, 0.05f));
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
                .setEmitTime(Instant.now())
                .build();
    }

    VoteSettings voteSettings() {
        return voteSettings;
    }
}
