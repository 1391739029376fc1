package io.facestream.track;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Decides which faces of one track go to the embedder, so that a face seen for many frames costs a
 * few embeddings instead of one per frame. Of the faces that pass the quality gate it embeds the
 * first one, then one after 1, 2, 4, 8 … frames (sequence numbers) since the last embedded face,
 * the interval doubling up to {@link ScheduleSettings#maxInterval()}, and, out of turn, any face
 * whose quality exceeds the best embedded quality times {@link
 * ScheduleSettings#betterQualityFactor()} (an out-of-turn embedding restarts the wait but does not
 * grow the interval). A face failing the gate is never embedded unless the schedule is {@link
 * ScheduleSettings#everyFrame()}, which embeds everything.
 */
final class EmbedSchedule {
    private boolean embeddedAny;
    private long lastEmbedded;
    private int interval;
    private float bestQuality;

    EmbedSchedule() {}

    /** Whether the face of this track seen at {@code sequence} should be embedded; records it. */
    boolean decide(ScheduleSettings settings, long sequence, float quality, boolean passesGate) {
        if (settings.everyFrame()) {
            record(sequence, quality);
            return true;
        }
        if (!passesGate) {
            return false;
        }
        if (!embeddedAny) {
            interval = 1;
            record(sequence, quality);
            return true;
        }
        if (sequence - lastEmbedded >= interval) {
            interval = Math.min(settings.maxInterval(), interval * 2);
            record(sequence, quality);
            return true;
        }
        if (quality > bestQuality * settings.betterQualityFactor()) {
            record(sequence, quality);
            return true;
        }
        return false;
    }

    private void record(long sequence, float quality) {
        embeddedAny = true;
        lastEmbedded = sequence;
        bestQuality = Math.max(bestQuality, quality);
    }

    /** Frames to wait after the last embedded face before the next scheduled one. */
    int interval() {
        return interval;
    }

    float bestQuality() {
        return bestQuality;
    }

    void write(DataOutput out) throws IOException {
        out.writeBoolean(embeddedAny);
        out.writeLong(lastEmbedded);
        out.writeInt(interval);
        out.writeFloat(bestQuality);
    }

    static EmbedSchedule read(DataInput in) throws IOException {
        EmbedSchedule s = new EmbedSchedule();
        s.embeddedAny = in.readBoolean();
        s.lastEmbedded = in.readLong();
        s.interval = in.readInt();
        s.bestQuality = in.readFloat();
        return s;
    }
}
