package io.facestream.detect;

import io.facestream.model.OnnxModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decoder for insightface SCRFD (500m, 2.5g). Nine outputs, scores {@code [N,1]}, boxes {@code
 * [N,4]} and landmarks {@code [N,10]} for strides 8/16/32 with 2 anchors per cell, N =
 * 2·(H/s)·(W/s); they are told apart by shape, because their names differ between exports. Anchor
 * of row i: loc = i/2, cx = (loc mod (W/s))·s, cy = (loc div (W/s))·s; box = (cx−d0·s, cy−d1·s,
 * cx+d2·s, cy+d3·s); landmark = (cx+k_x·s, cy+k_y·s).
 */
public final class ScrfdDecoder implements DetectionDecoder {
    private static final int[] STRIDES = {8, 16, 32};
    private static final int ANCHORS = 2;

    @Override
    public List<Face> decode(OnnxModel.Outputs outputs, int width, int height, float minScore) {
        List<Face> faces = new ArrayList<>();
        for (int s : STRIDES) {
            int cols = width / s;
            int n = ANCHORS * cols * (height / s);
            float[] scores = find(outputs, n, 1, s);
            float[] boxes = find(outputs, n, 4, s);
            float[] kps = find(outputs, n, 10, s);
            for (int i = 0; i < n; i++) {
                float score = scores[i];
                if (score < minScore) {
                    continue;
                }
                int loc = i / ANCHORS;
                float cx = (loc % cols) * s;
                float cy = (loc / cols) * s;
                float[] l = new float[10];
                for (int k = 0; k < 5; k++) {
                    l[2 * k] = cx + kps[10 * i + 2 * k] * s;
                    l[2 * k + 1] = cy + kps[10 * i + 2 * k + 1] * s;
                }
                faces.add(
                        new Face(
                                cx - boxes[4 * i] * s,
                                cy - boxes[4 * i + 1] * s,
                                cx + boxes[4 * i + 2] * s,
                                cy + boxes[4 * i + 3] * s,
                                l,
                                score));
            }
        }
        return faces;
    }

    private static float[] find(OnnxModel.Outputs outputs, int rows, int cols, int stride) {
        for (Map.Entry<String, long[]> e : outputs.shapes().entrySet()) {
            long[] shape = e.getValue();
            if (shape.length == 2 && shape[0] == rows && shape[1] == cols) {
                return outputs.get(e.getKey());
            }
        }
        throw new IllegalStateException(
                "SCRFD has no output of shape [" + rows + "," + cols + "] for stride " + stride);
    }
}
