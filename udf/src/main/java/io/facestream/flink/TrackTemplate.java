package io.facestream.flink;

import io.facestream.schema.internal.TrackAppearanceState;
import java.util.ArrayList;
import java.util.List;

/**
 * A track's template for unknown pseudonyms: the mean of its faces' L2-normalised embeddings,
 * normalised, kept as a running sum in the track's state ({@code templateSum}, {@code
 * templateFaces}). Only faces that passed the quality gates are embedded, so every face it adds up
 * is a good-quality one. Pure.
 */
public final class TrackTemplate {
    private TrackTemplate() {}

    /** Adds one embedding (any length; normalised here) to the track's sum. */
    public static void add(TrackAppearanceState s, List<Float> embedding) {
        double norm = 0;
        for (float x : embedding) {
            norm += x * x;
        }
        if (norm == 0 || !Double.isFinite(norm)) {
            return;
        }
        float inv = (float) (1 / Math.sqrt(norm));
        List<Float> sum = s.getTemplateSum();
        if (sum == null || sum.size() != embedding.size()) {
            sum = new ArrayList<>(embedding.size());
            for (float x : embedding) {
                sum.add(x * inv);
            }
            s.setTemplateFaces(1);
        } else {
            List<Float> next = new ArrayList<>(sum.size());
            for (int i = 0; i < sum.size(); i++) {
                next.add(sum.get(i) + embedding.get(i) * inv);
            }
            sum = next;
            s.setTemplateFaces(s.getTemplateFaces() + 1);
        }
        s.setTemplateSum(sum);
    }

    /** The normalised mean, or null when the track has no embedded face. */
    public static float[] of(TrackAppearanceState s) {
        List<Float> sum = s.getTemplateSum();
        if (sum == null || s.getTemplateFaces() == 0) {
            return null;
        }
        double norm = 0;
        for (float x : sum) {
            norm += x * x;
        }
        if (norm == 0) {
            return null;
        }
        float[] t = new float[sum.size()];
        float inv = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < t.length; i++) {
            t[i] = sum.get(i) * inv;
        }
        return t;
    }
}
