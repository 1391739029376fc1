package io.facestream.track;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import org.junit.jupiter.api.Test;

class KalmanBoxFilterTest {

    @Test
    void learnsTheVelocityOfAMovingBoxAndPredictsItsNextPosition() {
        // A 60x80 face moving 6 px right and 3 px down per frame.
        KalmanBoxFilter f = KalmanBoxFilter.start(100, 100, 160, 180);
        for (int t = 1; t <= 15; t++) {
            f.predict();
            f.update(100 + 6 * t, 100 + 3 * t, 160 + 6 * t, 180 + 3 * t);
        }
        assertThat(f.velocityX()).isCloseTo(6, within(0.5));
        assertThat(f.velocityY()).isCloseTo(3, within(0.5));
        f.predict();
        assertThat(f.x1()).isCloseTo(100 + 6 * 16, within(1.0));
        assertThat(f.y1()).isCloseTo(100 + 3 * 16, within(1.0));
        assertThat(f.x2()).isCloseTo(160 + 6 * 16, within(1.0));
        assertThat(f.y2()).isCloseTo(180 + 3 * 16, within(1.0));
    }

    @Test
    void extrapolatesThroughFramesWithoutDetections() {
        KalmanBoxFilter f = KalmanBoxFilter.start(0, 0, 50, 50);
        for (int t = 1; t <= 20; t++) {
            f.predict();
            f.update(10 * t, 0, 50 + 10 * t, 50);
        }
        for (int t = 21; t <= 30; t++) {
            f.predict();
        }
        // Ten unobserved frames at 10 px each: the box has moved on by about 100 px.
        assertThat(f.x1()).isCloseTo(300, within(5.0));
        assertThat(f.x2() - f.x1()).isCloseTo(50, within(2.0));
    }

    @Test
    void staysAtRestForAStillBoxAndNeverTurnsInsideOut() {
        KalmanBoxFilter still = KalmanBoxFilter.start(10, 20, 30, 40);
        for (int t = 0; t < 10; t++) {
            still.predict();
            still.update(10, 20, 30, 40);
        }
        assertThat(still.x1()).isCloseTo(10, within(1e-6));
        assertThat(still.y2()).isCloseTo(40, within(1e-6));

        KalmanBoxFilter shrinking = KalmanBoxFilter.start(0, 0, 40, 40);
        for (int t = 1; t <= 8; t++) {
            shrinking.predict();
            shrinking.update(2 * t, 2 * t, 40 - 2 * t, 40 - 2 * t);
        }
        for (int t = 0; t < 50; t++) {
            shrinking.predict();
        }
        assertThat(shrinking.x2() - shrinking.x1()).isGreaterThanOrEqualTo(1.0);
        assertThat(shrinking.y2() - shrinking.y1()).isGreaterThanOrEqualTo(1.0);
    }

    @Test
    void restoresBitIdenticalState() throws Exception {
        KalmanBoxFilter f = KalmanBoxFilter.start(0, 0, 50, 60);
        for (int t = 1; t <= 5; t++) {
            f.predict();
            f.update(3.3 * t, 1.7 * t, 50 + 3.1 * t, 60 + 1.9 * t);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        f.write(new DataOutputStream(bytes));
        KalmanBoxFilter g =
                KalmanBoxFilter.read(
                        new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        f.predict();
        g.predict();
        f.update(20, 10, 70, 72);
        g.update(20, 10, 70, 72);
        assertThat(g.x1()).isEqualTo(f.x1());
        assertThat(g.y2()).isEqualTo(f.y2());
        assertThat(g.velocityX()).isEqualTo(f.velocityX());
    }
}
