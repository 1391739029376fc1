package io.facestream.detect;

import io.facestream.model.OnnxModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decoder for RetinaFace-MobileNet0.25 (biubug6 export). Outputs: boxes {@code [1,P,4]} as SSD
 * offsets, scores {@code [1,P,2]} already softmaxed (column 1 = face), landmarks {@code [1,P,10]}.
 * Priors: strides 8/16/32 with min sizes {16,32}, {64,128}, {256,512}; variances 0.1 (centres,
 * landmarks) and 0.2 (log sizes). Priors are computed once per input size.
 */
public final class RetinaFaceDecoder implements DetectionDecoder {
    private static final int[] STEPS = {8, 16, 32};
    private static final int[][] MIN_SIZES = {{16, 32}, {64, 128}, {256, 512}};
    private static final float VAR_CENTRE = 0.1f;
    private static final float VAR_SIZE = 0.2f;
    private static final Map<Long, float[]> PRIORS = new ConcurrentHashMap<>();

    private final String boxes;
    private final String scores;
    private final String landmarks;

    public RetinaFaceDecoder(String boxes, String scores, String landmarks) {
        this.boxes = boxes;
        this.scores = scores;
        this.landmarks = landmarks;
    }

    /** Priors as (cx, cy, w, h) quadruples, normalised to [0, 1] of the input. */
    static float[] priors(int width, int height) {
        return PRIORS.computeIfAbsent(
                ((long) width << 32) | height, k -> buildPriors(width, height));
    }

    private static float[] buildPriors(int width, int height) {
        List<float[]> out = new ArrayList<>();
        for (int s = 0; s < STEPS.length; s++) {
            int step = STEPS[s];
            int rows = (int) Math.ceil(height / (double) step);
            int cols = (int) Math.ceil(width / (double) step);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    for (int min : MIN_SIZES[s]) {
                        out.add(
                                new float[] {
                                    (j + 0.5f) * step / width,
                                    (i + 0.5f) * step / height,
                                    (float) min / width,
                                    (float) min / height
                                });
                    }
                }
            }
        }
        float[] flat = new float[out.size() * 4];
        for (int i = 0; i < out.size(); i++) {
            System.arraycopy(out.get(i), 0, flat, 4 * i, 4);
        }
        return flat;
    }

    @Override
    public List<Face> decode(OnnxModel.Outputs outputs, int width, int height, float minScore) {
        float[] loc = outputs.get(boxes);
        float[] conf = outputs.get(scores);
        float[] lm = outputs.get(landmarks);
        float[] pri = priors(width, height);
        int n = pri.length / 4;
        if (loc.length != 4 * n || conf.length != 2 * n || lm.length != 10 * n) {
            throw new IllegalStateException(
                    "RetinaFace outputs do not match " + n + " priors for " + width + "x" + height);
        }
        List<Face> faces = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float score = conf[2 * i + 1];
            if (score < minScore) {
                continue;
            }
            float pcx = pri[4 * i], pcy = pri[4 * i + 1], pw = pri[4 * i + 2], ph = pri[4 * i + 3];
            float cx = pcx + loc[4 * i] * VAR_CENTRE * pw;
            float cy = pcy + loc[4 * i + 1] * VAR_CENTRE * ph;
            float w = pw * (float) Math.exp(loc[4 * i + 2] * VAR_SIZE);
            float h = ph * (float) Math.exp(loc[4 * i + 3] * VAR_SIZE);
            float[] l = new float[10];
            for (int k = 0; k < 5; k++) {
                l[2 * k] = (pcx + lm[10 * i + 2 * k] * VAR_CENTRE * pw) * width;
                l[2 * k + 1] = (pcy + lm[10 * i + 2 * k + 1] * VAR_CENTRE * ph) * height;
            }
            faces.add(
                    new Face(
                            (cx - w / 2) * width,
                            (cy - h / 2) * height,
                            (cx + w / 2) * width,
                            (cy + h / 2) * height,
                            l,
                            score));
        }
        return faces;
    }
}
