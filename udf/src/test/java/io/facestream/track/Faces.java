package io.facestream.track;

import java.util.ArrayList;
import java.util.List;

/** Synthetic detections for tracker tests: square faces given by centre and size. */
final class Faces {
    private Faces() {}

    static Detection face(double cx, double cy, double size, float score) {
        float h = (float) (size / 2);
        return new Detection(
                (float) cx - h, (float) cy - h, (float) cx + h, (float) cy + h, score, 0.8f, true);
    }

    static Detection face(double cx, double cy, double size) {
        return face(cx, cy, size, 0.9f);
    }

    static List<Detection> frame(Detection... detections) {
        return new ArrayList<>(List.of(detections));
    }

    static List<Long> ids(TrackerStep step) {
        List<Long> ids = new ArrayList<>();
        for (TrackAssignment a : step.assignments()) {
            ids.add(a.trackId());
        }
        return ids;
    }
}
