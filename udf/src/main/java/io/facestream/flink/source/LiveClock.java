package io.facestream.flink.source;

/**
 * Capture time, on this machine's wall clock, of the frames of one live or paced stream.
 *
 * <p>Live: a frame cannot arrive before it was captured, so the smallest (arrival − PTS) seen since
 * the stream (re)connected estimates the offset between the camera's clock and ours, and capture =
 * PTS + offset. A frame read late — it waited in the socket while the job was behind — then shows
 * its true age, which the wall clock at reading would hide. The offset may rise by 1 ms per second
 * of stream time, so a camera clock slower than ours does not make frames look older and older; a
 * PTS jump (a camera restart, a wrap) re-anchors it.
 *
 * <p>Paced file: the first frame is due now, each later one at its media time after it.
 */
final class LiveClock {
    /** A PTS step larger than this (or backwards) is a discontinuity, not stream time. */
    static final long JUMP_MS = 5_000;

    /** How far the offset may rise per ms of stream time (1000 ppm, well above crystal drift). */
    private static final double DRIFT_PER_MS = 1e-3;

    private boolean anchored;
    private double offsetMs;
    private long lastPtsMs;

    /** Capture time of a live frame with presentation time {@code ptsUs} read at {@code nowMs}. */
    long captureMs(long ptsUs, long nowMs) {
        if (ptsUs < 0) {
            return nowMs; // no timestamp from the stream: the arrival time is all there is
        }
        long ptsMs = Math.floorDiv(ptsUs, 1000);
        double candidate = nowMs - ptsMs;
        long step = ptsMs - lastPtsMs;
        if (!anchored || step < 0 || step > JUMP_MS) {
            offsetMs = candidate;
            anchored = true;
        } else {
            offsetMs = Math.min(offsetMs + step * DRIFT_PER_MS, candidate);
        }
        lastPtsMs = ptsMs;
        return Math.min(nowMs, Math.round(ptsMs + offsetMs));
    }

    /** Wall-clock time at which a paced file's frame at media time {@code ptsUs} is due. */
    long dueMs(long ptsUs, long nowMs) {
        long ptsMs = Math.floorDiv(ptsUs, 1000);
        if (!anchored) {
            offsetMs = nowMs - ptsMs;
            anchored = true;
        }
        return Math.round(ptsMs + offsetMs);
    }

    /** Forgets the anchor: a reconnected stream (or a reopened file) starts a new timeline. */
    void reset() {
        anchored = false;
    }
}
