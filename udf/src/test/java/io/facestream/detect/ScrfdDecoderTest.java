package io.facestream.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.facestream.model.OnnxModel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * SCRFD's anchor decoding on hand-made outputs for a 64×64 input. Outputs get arbitrary names: the
 * decoder must tell them apart by shape, as the real exports name them differently.
 */
class ScrfdDecoderTest {
    private final Map<String, float[]> data = new HashMap<>();
    private final Map<String, long[]> shapes = new HashMap<>();

    ScrfdDecoderTest() {
        int name = 0;
        for (int s : new int[] {8, 16, 32}) {
            int n = 2 * (64 / s) * (64 / s);
            for (int cols : new int[] {1, 4, 10}) {
                String key = "out" + name++;
                data.put(key, new float[n * cols]);
                shapes.put(key, new long[] {n, cols});
            }
        }
    }

    @Test
    void decodesAnAnchorFromItsCellAndStride() {
        // Stride 16: 4 cells a row, 2 anchors a cell; row 13 is the second anchor of cell 6,
        // which sits at column 2, row 1: centre (32, 16).
        int i = 13;
        tensor(32, 1)[i] = 0.7f;
        float[] box = tensor(32, 4);
        box[4 * i] = 1f;
        box[4 * i + 1] = 0.5f;
        box[4 * i + 2] = 2f;
        box[4 * i + 3] = 1f;
        tensor(32, 10)[10 * i + 8] = 0.5f; // right mouth corner x: 32 + 0.5·16 = 40
        tensor(32, 10)[10 * i + 9] = -0.25f; // y: 16 − 0.25·16 = 12

        List<Face> faces = new ScrfdDecoder().decode(outputs(), 64, 64, 0.5f);

        assertThat(faces).hasSize(1);
        Face f = faces.get(0);
        assertThat(f.score()).isEqualTo(0.7f);
        assertThat(new float[] {f.x1(), f.y1(), f.x2(), f.y2()})
                .containsExactly(new float[] {16, 8, 64, 32}, within(1e-4f));
        assertThat(f.lx(4)).isCloseTo(40, within(1e-4f));
        assertThat(f.ly(4)).isCloseTo(12, within(1e-4f));
        assertThat(f.lx(0)).isCloseTo(32, within(1e-4f));
    }

    @Test
    void failsClearlyWhenAStrideHasNoOutputOfTheExpectedShape() {
        assertThatThrownBy(() -> new ScrfdDecoder().decode(outputs(), 128, 64, 0.5f))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("stride 8");
    }

    /** The output with {@code rows} anchors and {@code cols} values each. */
    private float[] tensor(int rows, int cols) {
        return shapes.entrySet().stream()
                .filter(e -> e.getValue()[0] == rows && e.getValue()[1] == cols)
                .map(e -> data.get(e.getKey()))
                .findFirst()
                .orElseThrow();
    }

    private OnnxModel.Outputs outputs() {
        return new OnnxModel.Outputs(data, shapes);
    }
}
