package io.facestream.flink;

import io.facestream.gallery.Decision;
import io.facestream.schema.FaceIdentity;
import io.facestream.schema.MatchStatus;
import io.facestream.schema.internal.DetectedFace;
import io.facestream.schema.internal.FaceMatches;
import io.facestream.schema.internal.FrameFaces;
import java.time.Instant;
import java.util.List;

/**
 * The identity record of one face of a tracked frame. Pure. Which status and name a face gets:
 *
 * <ul>
 *   <li>{@code every-frame} mode: the face's own decision (MATCHED / UNKNOWN), LOOKUP_FAILED
 *       without one — the behaviour before tracking.
 *   <li>tracked: a face that failed a quality gate is NOT_RECOGNISABLE (reason = the gate) and
 *       carries its track's identity if the track has one (a side view named above the pose bar of
 *       {@link PoseFaces} is shown as a face that passed once its track is named); otherwise a
 *       track with an identity names every face MATCHED with the track's best similarity; a face
 *       whose own lookup failed in a track without identity is LOOKUP_FAILED; else UNKNOWN (this
 *       face's similarity when it was embedded, the track's best otherwise).
 * </ul>
 */
final class TrackedIdentities {
    private TrackedIdentities() {}

    static FaceIdentity record(
            FrameFaces f,
            DetectedFace d,
            Decision dec,
            FaceMatches m,
            TrackAppearances track,
            boolean everyFrame,
            String embedder,
            AssembleSettings settings) {
        MatchStatus status;
        String identity;
        Float similarity;
        String reason = null;
        String trackIdentity = track == null ? null : track.identity();
        if (everyFrame || track == null) {
            status = dec != null ? dec.status() : lookupOrGate(d, m);
            identity = dec != null ? dec.identity() : null;
            similarity = dec != null ? nullIfNaN(dec.similarity()) : null;
            if (status == MatchStatus.NOT_RECOGNISABLE) {
                reason = d.getGateReason();
            }
        } else if (d.getGateReason() != null) {
            status = MatchStatus.NOT_RECOGNISABLE;
            reason = d.getGateReason();
            identity = trackIdentity;
            similarity = trackIdentity != null ? track.similarity() : null;
        } else if (trackIdentity != null) {
            status = MatchStatus.MATCHED;
            identity = trackIdentity;
            similarity = track.similarity();
        } else if (d.getEmbedded() && dec == null) {
            status = MatchStatus.LOOKUP_FAILED;
            identity = null;
            similarity = null;
        } else {
            status = MatchStatus.UNKNOWN;
            identity = null;
            similarity = dec != null ? nullIfNaN(dec.similarity()) : track.similarity();
        }
        String error =
                status != MatchStatus.LOOKUP_FAILED
                        ? null
                        : m == null
                                ? "no lookup result within assemble.timeout"
                                : (m.getError() != null ? m.getError() : "lookup failed");
        var frame = f.getFrame();
        return FaceIdentity.newBuilder()
                .setCameraId(frame.getCameraId())
                .setFrameSequence(frame.getSequence())
                .setTimestamp(frame.getTimestamp())
                .setFaceIndex(d.getFaceIndex())
                .setFacesInFrame(f.getFaces().size())
                .setBox(d.getBox())
                .setLandmarks(d.getLandmarks())
                .setDetectionScore(d.getScore())
                .setStatus(status)
                .setIdentity(identity)
                .setSimilarity(similarity)
                .setCandidates(dec == null ? List.of() : dec.topCandidates())
                .setGallery(settings.gallery())
                .setDetectorModel(f.getDetectorModel())
                .setEmbedderModel(embedder)
                .setTrackId(d.getTrackId())
                .setIngestTime(Instant.ofEpochMilli(f.getIngestTime()))
                .setEmitTime(Instant.now())
                .setError(error)
                .setReason(reason)
                .build();
    }

    /**
     * No decision: the face was not embedded (a failed gate), was a side view whose result did not
     * clear the pose bar (embedded, no result kept: see {@link PoseFaces}), or its lookup failed.
     */
    private static MatchStatus lookupOrGate(DetectedFace d, FaceMatches m) {
        return d.getGateReason() != null && (!d.getEmbedded() || m == null)
                ? MatchStatus.NOT_RECOGNISABLE
                : MatchStatus.LOOKUP_FAILED;
    }

    private static Float nullIfNaN(float v) {
        return Float.isNaN(v) ? null : v;
    }
}
