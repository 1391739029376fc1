package io.facestream.embed;

/** Small vector helpers. Similarity everywhere in facestream is the cosine in [-1, 1]. */
public final class Vectors {
    private Vectors() {}

    /** Scales {@code v} in place to unit length; refuses zero, NaN and infinite vectors. */
    public static float[] normalize(float[] v) {
        requireFinite(v);
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        if (sum < 1e-20) {
            throw new EmbeddingException("embedding is the zero vector");
        }
        float inv = (float) (1.0 / Math.sqrt(sum));
        for (int i = 0; i < v.length; i++) {
            v[i] *= inv;
        }
        return v;
    }

    /**
     * Refuses a vector with NaN or infinite elements, naming how many and the first: a model that
     * overflowed or was fed garbage must not reach the gallery, where NaN compares as no distance.
     */
    public static float[] requireFinite(float[] v) {
        int bad = 0;
        int first = -1;
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                bad++;
                first = first < 0 ? i : first;
            }
        }
        if (bad > 0) {
            throw new EmbeddingException(
                    "embedding contains NaN or infinity: "
                            + bad
                            + " of "
                            + v.length
                            + " values are not finite (first at index "
                            + first
                            + ": "
                            + v[first]
                            + ")");
        }
        return v;
    }

    public static double dot(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException(
                    "dimensions differ: " + a.length + " vs " + b.length);
        }
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    /** Cosine of two vectors of any length. */
    public static double cosine(float[] a, float[] b) {
        return dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));
    }

    public static double norm(float[] a) {
        return Math.sqrt(dot(a, a));
    }
}
