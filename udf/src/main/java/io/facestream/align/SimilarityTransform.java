package io.facestream.align;

/**
 * Least-squares 2-D similarity transform (rotation, uniform scale, translation; never a reflection)
 * mapping source points onto destination points: the Umeyama solution, in closed form for two
 * dimensions. Unlike OpenCV's {@code estimateAffinePartial2D}, which samples with RANSAC, every
 * landmark counts, so the fit is deterministic.
 */
public final class SimilarityTransform {
    private SimilarityTransform() {}

    /**
     * The 2×3 row-major matrix {@code [a, -b, tx, b, a, ty]} minimising the squared distance
     * between {@code M·src} and {@code dst}; both are {@code x0,y0,x1,y1,...}.
     */
    public static double[] estimate(float[] src, float[] dst) {
        int n = src.length / 2;
        if (n < 2 || dst.length != src.length) {
            throw new IllegalArgumentException("need >= 2 point pairs of equal count");
        }
        double msx = 0, msy = 0, mdx = 0, mdy = 0;
        for (int i = 0; i < n; i++) {
            msx += src[2 * i];
            msy += src[2 * i + 1];
            mdx += dst[2 * i];
            mdy += dst[2 * i + 1];
        }
        msx /= n;
        msy /= n;
        mdx /= n;
        mdy /= n;
        double num1 = 0, num2 = 0, den = 0;
        for (int i = 0; i < n; i++) {
            double x = src[2 * i] - msx, y = src[2 * i + 1] - msy;
            double u = dst[2 * i] - mdx, v = dst[2 * i + 1] - mdy;
            num1 += x * u + y * v;
            num2 += x * v - y * u;
            den += x * x + y * y;
        }
        if (den < 1e-12) {
            throw new IllegalArgumentException("source points coincide; no transform exists");
        }
        double a = num1 / den;
        double b = num2 / den;
        double tx = mdx - (a * msx - b * msy);
        double ty = mdy - (b * msx + a * msy);
        return new double[] {a, -b, tx, b, a, ty};
    }

    /** Mean Euclidean distance between {@code M·src} and {@code dst}, in destination pixels. */
    public static double meanResidual(double[] m, float[] src, float[] dst) {
        int n = src.length / 2;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double x = m[0] * src[2 * i] + m[1] * src[2 * i + 1] + m[2];
            double y = m[3] * src[2 * i] + m[4] * src[2 * i + 1] + m[5];
            sum += Math.hypot(x - dst[2 * i], y - dst[2 * i + 1]);
        }
        return sum / n;
    }
}
