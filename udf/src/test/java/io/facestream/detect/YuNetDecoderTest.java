package io.facestream.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.facestream.model.OnnxModel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** YuNet's per-cell decoding on hand-made outputs for a 64×64 input, in input pixels. */
class YuNetDecoderTest {
    private final Map<String, float[]> data = new HashMap<>();

    YuNetDecoderTest() {
        for (int s : new int[] {8, 16, 32}) {
            int n = (64 / s) * (64 / s);
            data.put("cls_" + s, new float[n]);
            data.put("obj_" + s, new float[n]);
            data.put("bbox_" + s, new float[4 * n]);
            data.put("kps_" + s, new float[10 * n]);
        }
    }

    @Test
    void decodesACellFromItsRowColumnAndStride() {
        int idx = 4 + 2; // stride 16: 4 columns; row 1, column 2
        data.get("cls_16")[idx] = 0.81f;
        data.get("obj_16")[idx] = 1f;
        float[] bbox = data.get("bbox_16");
        bbox[4 * idx] = 0.5f; // cx = (2 + 0.5)·16 = 40
        bbox[4 * idx + 1] = 0.25f; // cy = (1 + 0.25)·16 = 20
        bbox[4 * idx + 2] = (float) Math.log(2); // w = 2·16 = 32
        bbox[4 * idx + 3] = 0f; // h = 16
        data.get("kps_16")[10 * idx] = 0.1f; // (0.1 + 2)·16 = 33.6
        data.get("kps_16")[10 * idx + 1] = 0.2f; // (0.2 + 1)·16 = 19.2

        List<Face> faces = new YuNetDecoder().decode(outputs(), 64, 64, 0.6f);

        assertThat(faces).hasSize(1);
        Face f = faces.get(0);
        assertThat(f.score()).isCloseTo(0.9f, within(1e-6f));
        assertThat(new float[] {f.x1(), f.y1(), f.x2(), f.y2()})
                .containsExactly(new float[] {24, 12, 56, 28}, within(1e-4f));
        assertThat(f.lx(0)).isCloseTo(33.6f, within(1e-4f));
        assertThat(f.ly(0)).isCloseTo(19.2f, within(1e-4f));
        assertThat(f.lx(1)).isCloseTo(32f, within(1e-4f));
    }

    @Test
    void clampsClassAndObjectnessIntoZeroOneBeforeTheGeometricMean() {
        data.get("cls_8")[0] = 1.7f;
        data.get("obj_8")[0] = 0.64f; // sqrt(1 · 0.64) = 0.8
        data.get("cls_8")[1] = -3f;
        data.get("obj_8")[1] = 5f; // sqrt(0 · 1) = 0

        List<Face> faces = new YuNetDecoder().decode(outputs(), 64, 64, 0.1f);

        assertThat(faces).extracting(Face::score).containsExactly(0.8f);
    }

    @Test
    void rejectsOutputsForAnotherInputSize() {
        assertThatThrownBy(() -> new YuNetDecoder().decode(outputs(), 96, 64, 0.5f))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("expected 96");
    }

    private OnnxModel.Outputs outputs() {
        Map<String, long[]> shapes = new HashMap<>();
        data.forEach((k, v) -> shapes.put(k, new long[] {1, v.length}));
        return new OnnxModel.Outputs(data, shapes);
    }
}
