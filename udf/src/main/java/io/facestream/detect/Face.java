package io.facestream.detect;

import java.io.Serializable;
import java.util.Arrays;

/**
 * One detected face in pixels of the image it was found in: box corners ({@code x1,y1} top-left,
 * {@code x2,y2} bottom-right), five landmarks as {@code x0,y0,...,x4,y4} in ArcFace order
 * (image-left eye, image-right eye, nose tip, image-left mouth corner, image-right mouth corner),
 * and the detector's confidence in [0, 1], higher = more certainly a face.
 */
public record Face(float x1, float y1, float x2, float y2, float[] landmarks, float score)
        implements Serializable {

    public Face {
        if (landmarks.length != 10) {
            throw new IllegalArgumentException("5 landmarks (10 floats) expected");
        }
    }

    public float width() {
        return x2 - x1;
    }

    public float height() {
        return y2 - y1;
    }

    public float area() {
        return Math.max(0, width()) * Math.max(0, height());
    }

    public float lx(int k) {
        return landmarks[2 * k];
    }

    public float ly(int k) {
        return landmarks[2 * k + 1];
    }

    /** This face in another frame: {@code x' = (x - dx) / scale}, same for y. */
    public Face unmap(float scale, float dx, float dy) {
        float[] l = new float[10];
        for (int k = 0; k < 5; k++) {
            l[2 * k] = (landmarks[2 * k] - dx) / scale;
            l[2 * k + 1] = (landmarks[2 * k + 1] - dy) / scale;
        }
        return new Face(
                (x1 - dx) / scale,
                (y1 - dy) / scale,
                (x2 - dx) / scale,
                (y2 - dy) / scale,
                l,
                score);
    }

    /** The box clipped to an image of the given size; landmarks are left as found. */
    public Face clip(int width, int height) {
        return new Face(
                clamp(x1, width),
                clamp(y1, height),
                clamp(x2, width),
                clamp(y2, height),
                landmarks,
                score);
    }

    private static float clamp(float v, int max) {
        return Math.max(0, Math.min(max, v));
    }

    /** Intersection over union of two boxes. */
    public static float iou(Face a, Face b) {
        float ix = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
        float iy = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
        if (ix <= 0 || iy <= 0) {
            return 0f;
        }
        float inter = ix * iy;
        return inter / (a.area() + b.area() - inter);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Face f
                && f.x1 == x1
                && f.y1 == y1
                && f.x2 == x2
                && f.y2 == y2
                && f.score == score
                && Arrays.equals(f.landmarks, landmarks);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new float[] {x1, y1, x2, y2, score}) * 31
                + Arrays.hashCode(landmarks);
    }

    @Override
    public String toString() {
        return String.format(
                "Face[box=(%.1f,%.1f,%.1f,%.1f) score=%.3f landmarks=%s]",
                x1, y1, x2, y2, score, Arrays.toString(landmarks));
    }
}
