package io.facestream.detect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Greedy non-maximum suppression: keeps the best-scoring box of every cluster overlapping more than
 * {@code maxIou}.
 */
public final class Nms {
    private Nms() {}

    public static List<Face> apply(List<Face> faces, float maxIou) {
        List<Face> sorted = new ArrayList<>(faces);
        sorted.sort(Comparator.comparingDouble(Face::score).reversed());
        List<Face> kept = new ArrayList<>();
        for (Face f : sorted) {
            boolean suppressed = false;
            for (Face k : kept) {
                if (Face.iou(f, k) > maxIou) {
                    suppressed = true;
                    break;
                }
            }
            if (!suppressed) {
                kept.add(f);
            }
        }
        return kept;
    }
}
