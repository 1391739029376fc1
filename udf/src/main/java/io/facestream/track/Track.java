package io.facestream.track;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** One live track: its id, motion model, lifecycle and embedding schedule. */
final class Track {
    final long id;
    final KalmanBoxFilter motion;
    final TrackLifecycle lifecycle;
    final EmbedSchedule schedule;

    Track(long id, KalmanBoxFilter motion, TrackLifecycle lifecycle, EmbedSchedule schedule) {
        this.id = id;
        this.motion = motion;
        this.lifecycle = lifecycle;
        this.schedule = schedule;
    }

    double iou(Detection d) {
        return Association.iou(
                motion.x1(), motion.y1(), motion.x2(), motion.y2(), d.x1(), d.y1(), d.x2(), d.y2());
    }

    EndedTrack ended() {
        return new EndedTrack(
                id,
                lifecycle.firstSequence(),
                lifecycle.lastMatched(),
                lifecycle.hits(),
                lifecycle.confirmed());
    }

    void write(DataOutput out) throws IOException {
        out.writeLong(id);
        lifecycle.write(out);
        motion.write(out);
        schedule.write(out);
    }

    static Track read(DataInput in) throws IOException {
        long id = in.readLong();
        TrackLifecycle lifecycle = TrackLifecycle.read(in);
        KalmanBoxFilter motion = KalmanBoxFilter.read(in);
        return new Track(id, motion, lifecycle, EmbedSchedule.read(in));
    }
}
