package io.facestream.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The landmark pose estimate on synthetic heads: frontal, turned, tilted, rolled, scaled. */
class HeadPoseTest {
    /** The 112×112 ArcFace template: the frontal face the estimate is calibrated on. */
    static final float[] TEMPLATE = {
        38.2946f, 51.6963f, 73.5318f, 51.5014f, 56.0252f, 71.7366f, 41.5493f, 92.3655f, 70.7299f,
        92.2041f
    };

    @Test
    void templateFaceIsFrontal() {
        HeadPose p = HeadPose.estimate(TEMPLATE);
        assertThat(p.yaw()).isCloseTo(0f, within(2f));
        assertThat(p.pitch()).isCloseTo(0f, within(2f));
    }

    @ParameterizedTest(name = "yaw {0}°")
    @ValueSource(ints = {-75, -50, -30, -10, 10, 30, 50, 75})
    void recoversTheYawOfTheGenericHead(int degrees) {
        HeadPose p = HeadPose.estimate(project(head(), Math.toRadians(degrees), 0, 0, 1));
        assertThat(p.yaw()).isCloseTo(degrees, within(1f));
        assertThat(p.pitch()).isCloseTo(0f, within(1f));
    }

    @ParameterizedTest(name = "pitch {0}°")
    @ValueSource(ints = {-40, -20, 20, 40})
    void recoversThePitchOfTheGenericHead(int degrees) {
        HeadPose p = HeadPose.estimate(project(head(), 0, Math.toRadians(degrees), 0, 1));
        assertThat(p.pitch()).isCloseTo(degrees, within(1f));
        assertThat(p.yaw()).isCloseTo(0f, within(1f));
    }

    @Test
    void noseTowardsTheImageRightIsPositiveYaw() {
        float[] l = TEMPLATE.clone();
        l[4] += 12; // nose moved to the image right, eyes and mouth kept
        assertThat(HeadPose.estimate(l).yaw()).isGreaterThan(30f);
        l[4] -= 24;
        assertThat(HeadPose.estimate(l).yaw()).isLessThan(-30f);
    }

    @Test
    void noseNearTheMouthIsLookingDown() {
        float[] l = TEMPLATE.clone();
        l[5] += 10;
        assertThat(HeadPose.estimate(l).pitch()).isGreaterThan(20f);
    }

    @Test
    void rollScaleAndPositionDoNotChangeThePose() {
        HeadPose plain = HeadPose.estimate(project(head(), Math.toRadians(35), 0.3, 0, 1));
        HeadPose moved = HeadPose.estimate(project(head(), Math.toRadians(35), 0.3, 0.6, 3.5));
        assertThat(moved.yaw()).isCloseTo(plain.yaw(), within(0.01f));
        assertThat(moved.pitch()).isCloseTo(plain.pitch(), within(0.01f));
    }

    @Test
    void profileWithBothEyesOnOnePointIsNinetyDegrees() {
        float[] l = {50, 50, 50, 50, 30, 70, 45, 90, 46, 90};
        assertThat(Math.abs(HeadPose.estimate(l).yaw())).isEqualTo(90f);
    }

    /** Generic head: eyes 1 apart in a plane with the mouth, nose 0.40 in front, as calibrated. */
    static double[][] head() {
        double h = HeadPose.HEIGHT_OVER_EYES;
        double n = HeadPose.FRONTAL_NOSE_HEIGHT * h;
        double d = HeadPose.DEPTH_OVER_EYES;
        return new double[][] {{-0.5, 0, 0}, {0.5, 0, 0}, {0, n, d}, {-0.4, h, 0}, {0.4, h, 0}};
    }

    /**
     * Orthographic image of {@code points} (x right, y down, z towards the camera) after yaw (nose
     * to the image right for positive), then pitch (nose down for positive), then in-plane roll,
     * scaled and shifted into pixels.
     */
    static float[] project(double[][] points, double yaw, double pitch, double roll, double s) {
        float[] out = new float[10];
        for (int k = 0; k < 5; k++) {
            double x = points[k][0];
            double y = points[k][1];
            double z = points[k][2];
            double x1 = x * Math.cos(yaw) + z * Math.sin(yaw);
            double z1 = -x * Math.sin(yaw) + z * Math.cos(yaw);
            double y2 = y * Math.cos(pitch) + z1 * Math.sin(pitch);
            double x3 = x1 * Math.cos(roll) - y2 * Math.sin(roll);
            double y3 = x1 * Math.sin(roll) + y2 * Math.cos(roll);
            out[2 * k] = (float) (100 + 40 * s * x3);
            out[2 * k + 1] = (float) (80 + 40 * s * y3);
        }
        return out;
    }
}
