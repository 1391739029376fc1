package io.facestream.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NmsTest {
    @Test
    void suppressesAWeakerBoxOverlappingAStrongerOne() {
        Face strong = box(0, 0, 100, 100, 0.9f);
        Face shifted = box(10, 0, 110, 100, 0.8f); // IoU 90/110 ≈ 0.82

        assertThat(Nms.apply(List.of(shifted, strong), 0.4f)).containsExactly(strong);
    }

    @Test
    void keepsDisjointBoxesInDescendingScoreOrder() {
        Face a = box(0, 0, 10, 10, 0.5f);
        Face b = box(100, 100, 120, 120, 0.95f);
        Face c = box(50, 0, 60, 10, 0.7f);

        assertThat(Nms.apply(List.of(a, b, c), 0.4f)).containsExactly(b, c, a);
    }

    @Test
    void keepsBoxesOverlappingNoMoreThanTheThreshold() {
        Face left = box(0, 0, 100, 100, 0.9f);
        Face right = box(50, 0, 150, 100, 0.8f); // IoU 50/150 = 1/3

        assertThat(Nms.apply(List.of(left, right), 0.4f)).containsExactly(left, right);
        assertThat(Nms.apply(List.of(left, right), 0.3f)).containsExactly(left);
    }

    @Test
    void comparesAgainstKeptBoxesOnlySoAChainIsNotOverSuppressed() {
        // b overlaps a and c, but a and c are apart: b goes, c stays.
        Face a = box(0, 0, 100, 100, 0.9f);
        Face b = box(30, 0, 130, 100, 0.8f);
        Face c = box(60, 0, 160, 100, 0.7f);

        assertThat(Nms.apply(List.of(c, b, a), 0.4f)).containsExactly(a, c);
    }

    @Test
    void givesNothingForNothing() {
        assertThat(Nms.apply(List.of(), 0.4f)).isEmpty();
    }

    static Face box(float x1, float y1, float x2, float y2, float score) {
        return new Face(x1, y1, x2, y2, new float[10], score);
    }
}
