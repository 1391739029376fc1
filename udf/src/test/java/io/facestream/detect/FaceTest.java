package io.facestream.detect;

import static io.facestream.detect.NmsTest.box;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class FaceTest {
    @Test
    void intersectionOverUnionOfPartlyOverlappingBoxes() {
        // 10×10 boxes sharing a 5×10 strip: 50 / (100 + 100 − 50) = 1/3.
        assertThat(Face.iou(box(0, 0, 10, 10, 1), box(5, 0, 15, 10, 1)))
                .isCloseTo(1 / 3f, within(1e-6f));
    }

    @Test
    void intersectionOverUnionIsOneForTheSameBoxAndZeroForTouchingOnes() {
        Face a = box(3, 4, 30, 40, 1);

        assertThat(Face.iou(a, a)).isEqualTo(1f);
        assertThat(Face.iou(a, box(30, 4, 50, 40, 1))).isZero();
    }

    @Test
    void intersectionOverUnionOfANestedBox() {
        assertThat(Face.iou(box(0, 0, 20, 20, 1), box(5, 5, 15, 15, 1))).isEqualTo(0.25f);
    }

    @Test
    void clipsTheBoxButNotTheLandmarks() {
        float[] l = {-5, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        Face f = new Face(-10, -2, 120, 90, l, 0.8f).clip(100, 80);

        assertThat(new float[] {f.x1(), f.y1(), f.x2(), f.y2()}).containsExactly(0, 0, 100, 80);
        assertThat(f.lx(0)).isEqualTo(-5);
    }

    @Test
    void needsExactlyFiveLandmarks() {
        assertThatThrownBy(() -> new Face(0, 0, 1, 1, new float[8], 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("5 landmarks");
    }
}
