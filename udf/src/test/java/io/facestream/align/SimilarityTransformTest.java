package io.facestream.align;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SimilarityTransformTest {

    @Test
    void recoversAKnownRotationScaleAndShiftExactly() {
        float[] dst = ArcFaceTemplate.forSize(112);
        // src = inverse of (scale 0.5, rotate 30°, shift) applied to the template
        double angle = Math.toRadians(30);
        double s = 2.0;
        float[] src = new float[10];
        for (int k = 0; k < 5; k++) {
            double x = dst[2 * k], y = dst[2 * k + 1];
            src[2 * k] = (float) (s * (Math.cos(angle) * x - Math.sin(angle) * y) + 300);
            src[2 * k + 1] = (float) (s * (Math.sin(angle) * x + Math.cos(angle) * y) + 40);
        }
        double[] m = SimilarityTransform.estimate(src, dst);
        assertThat(SimilarityTransform.meanResidual(m, src, dst)).isLessThan(1e-3);
        assertThat(Math.hypot(m[0], m[3])).isCloseTo(1 / s, within(1e-6));
        assertThat(Math.atan2(m[3], m[0])).isCloseTo(-angle, within(1e-6));
    }

    @Test
    void neverReflectsAMirroredFace() {
        float[] dst = ArcFaceTemplate.forSize(112);
        float[] mirrored = new float[10];
        for (int k = 0; k < 5; k++) {
            mirrored[2 * k] = 112 - dst[2 * k];
            mirrored[2 * k + 1] = dst[2 * k + 1];
        }
        double[] m = SimilarityTransform.estimate(mirrored, dst);
        // a similarity matrix [a -b; b a] has a positive determinant a²+b²
        assertThat(m[0] * m[4] - m[1] * m[3]).isPositive();
    }

    @Test
    void the128TemplateKeepsTheFaceCentred() {
        float[] t112 = ArcFaceTemplate.forSize(112);
        float[] t128 = ArcFaceTemplate.forSize(128);
        double mid112 = (t112[0] + t112[2]) / 2;
        double mid128 = (t128[0] + t128[2]) / 2;
        assertThat(mid112 - 56).isCloseTo(mid128 - 64, within(0.01));
        assertThat(t128[0]).isCloseTo(38.2946f + 8, within(1e-4f));
        assertThat(ArcFaceTemplate.forSize(224)[1]).isCloseTo(51.6963f * 2, within(1e-4f));
    }
}
