package io.facestream.detect;

import io.facestream.model.OnnxModel;
import java.util.ArrayList;
import java.util.List;

/**
 * Decoder for YuNet (OpenCV zoo, 2023mar). Per stride s in 8/16/32 there is one anchor per cell:
 * outputs {@code cls_s}, {@code obj_s} {@code [1,N,1]}, {@code bbox_s} {@code [1,N,4]}, {@code
 * kps_s} {@code [1,N,10]} with N = (H/s)(W/s). score = sqrt(clamp01(cls)·clamp01(obj)); centre =
 * ((col+b0)·s, (row+b1)·s); size = (exp(b2)·s, exp(b3)·s); landmark k = ((kps[2k]+col)·s,
 * (kps[2k+1]+row)·s).
 */
public final class YuNetDecoder implements DetectionDecoder {
    private static final int[] STRIDES = {8, 16, 32};

    @Override
    public List<Face> decode(OnnxModel.Outputs outputs, int width, int height, float minScore) {
        List<Face> faces = new ArrayList<>();
        for (int s : STRIDES) {
            float[] cls = outputs.get("cls_" + s);
            float[] obj = outputs.get("obj_" + s);
            float[] bbox = outputs.get("bbox_" + s);
            float[] kps = outputs.get("kps_" + s);
            int cols = width / s;
            int rows = height / s;
            if (cls.length != rows * cols) {
                throw new IllegalStateException(
                        "YuNet stride "
                                + s
                                + " has "
                                + cls.length
                                + " cells, expected "
                                + rows * cols);
            }
            for (int idx = 0; idx < rows * cols; idx++) {
                float score = (float) Math.sqrt(clamp01(cls[idx]) * clamp01(obj[idx]));
                if (score < minScore) {
                    continue;
                }
                int row = idx / cols;
                int col = idx % cols;
                float cx = (col + bbox[4 * idx]) * s;
                float cy = (row + bbox[4 * idx + 1]) * s;
                float w = (float) Math.exp(bbox[4 * idx + 2]) * s;
                float h = (float) Math.exp(bbox[4 * idx + 3]) * s;
                float[] l = new float[10];
                for (int k = 0; k < 5; k++) {
                    l[2 * k] = (kps[10 * idx + 2 * k] + col) * s;
                    l[2 * k + 1] = (kps[10 * idx + 2 * k + 1] + row) * s;
                }
                faces.add(new Face(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, l, score));
            }
        }
        return faces;
    }

    private static float clamp01(float v) {
        return Math.max(0f, Math.min(1f, v));
    }
}
