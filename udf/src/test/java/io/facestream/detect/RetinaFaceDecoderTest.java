package io.facestream.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.facestream.model.OnnxModel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RetinaFace priors and box/landmark decoding on hand-made outputs, in input pixels. */
class RetinaFaceDecoderTest {
    private static final int P = 16800;

    @Test
    void has16800PriorsForA640Input() {
        float[] p = RetinaFaceDecoder.priors(640, 640);

        assertThat(p).hasSize(4 * P);
        // First: stride 8, cell (0,0), min size 16; second: same cell, min size 32.
        assertThat(slice(p, 0)).containsExactly(4 / 640f, 4 / 640f, 16 / 640f, 16 / 640f);
        assertThat(slice(p, 1)).containsExactly(4 / 640f, 4 / 640f, 32 / 640f, 32 / 640f);
        // First of stride 16 follows the 80·80·2 priors of stride 8.
        assertThat(slice(p, 12800)).containsExactly(8 / 640f, 8 / 640f, 64 / 640f, 64 / 640f);
        // Last: stride 32, cell (19,19), min size 512.
        assertThat(slice(p, P - 1)).containsExactly(624 / 640f, 624 / 640f, 512 / 640f, 512 / 640f);
    }

    @Test
    void has10080PriorsForA640x384InputOnTheSameCentresInPixels() {
        float[] p = RetinaFaceDecoder.priors(640, 384);

        // (80·48 + 40·24 + 20·12)·2: 0.6 of the square input's priors.
        assertThat(p).hasSize(4 * 10080);
        // Normalised per axis: x by 640, y by 384; sizes stay square in pixels.
        assertThat(slice(p, 1)).containsExactly(4 / 640f, 4 / 384f, 32 / 640f, 32 / 384f);
        // Stride 8 row 47 (the last), column 79, size 32: the last of 80·48·2 priors.
        assertThat(slice(p, 7679)).containsExactly(636 / 640f, 380 / 384f, 32 / 640f, 32 / 384f);
        assertThat(slice(p, 10079)).containsExactly(624 / 640f, 368 / 384f, 512 / 640f, 512 / 384f);
        // Every prior of the 640x384 input is a prior of the 640x640 one shifted down by 128 px
        // (4 cells of stride 32), which is what the 140 px vs 12 px letterbox padding differs by.
        float[] square = RetinaFaceDecoder.priors(640, 640);
        int[] base640 = {0, 12800, 16000};
        int[] base384 = {0, 7680, 9600};
        int[] steps = {8, 16, 32};
        for (int s = 0; s < 3; s++) {
            int cols = 640 / steps[s];
            int shift = 128 / steps[s];
            int rows = 384 / steps[s];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    for (int k = 0; k < 2; k++) {
                        float[] a = slice(p, base384[s] + (i * cols + j) * 2 + k);
                        float[] b = slice(square, base640[s] + ((i + shift) * cols + j) * 2 + k);
                        assertThat(a[0] * 640).isCloseTo(b[0] * 640, within(1e-3f));
                        assertThat(a[1] * 384 + 128).isCloseTo(b[1] * 640, within(1e-3f));
                        assertThat(a[2] * 640).isCloseTo(b[2] * 640, within(1e-3f));
                        assertThat(a[3] * 384).isCloseTo(b[3] * 640, within(1e-3f));
                    }
                }
            }
        }
    }

    @Test
    void aFaceDecodedOnEitherInputShapeMapsBackToTheSameFramePixels() {
        // The same network offsets on corresponding priors of the 640x640 letterbox of a
        // 640x360 frame (pad 140) and of its 640x384 input (pad 12) are the same face.
        int row384 = 5;
        int col = 30;
        int i384 = 7680 + (row384 * 40 + col) * 2;
        int i640 = 12800 + ((row384 + 8) * 40 + col) * 2;
        Face onRect = oneFace(i384, 10080, 640, 384);
        Face onSquare = oneFace(i640, P, 640, 640);
        Face a = Letterbox.plan(640, 360, input("fit-pad32")).undo(onRect);
        Face b = Letterbox.plan(640, 360, input("letterbox-centre")).undo(onSquare);

        assertThat(new float[] {a.x1(), a.y1(), a.x2(), a.y2(), a.lx(2), a.ly(2)})
                .containsExactly(
                        new float[] {b.x1(), b.y1(), b.x2(), b.y2(), b.lx(2), b.ly(2)},
                        within(1e-3f));
        assertThat(a.y1()).isBetween(0f, 360f);
    }

    private static Face oneFace(int i, int n, int width, int height) {
        float[] loc = new float[4 * n];
        float[] conf = new float[2 * n];
        float[] lm = new float[10 * n];
        conf[2 * i + 1] = 0.9f;
        loc[4 * i] = 1.5f;
        loc[4 * i + 1] = -2f;
        loc[4 * i + 2] = 0.3f;
        loc[4 * i + 3] = 0.4f;
        lm[10 * i + 4] = 0.7f;
        lm[10 * i + 5] = -0.4f;
        List<Face> faces = decoder().decode(outputs(loc, conf, lm), width, height, 0.5f);
        assertThat(faces).hasSize(1);
        return faces.get(0);
    }

    private static io.facestream.model.ModelSpec.InputSpec input(String resize) {
        return new io.facestream.model.ModelSpec.InputSpec(
                "input0",
                "NCHW",
                new long[] {1, 3, -1, -1},
                640,
                640,
                resize,
                "BGR",
                new float[] {104, 117, 123},
                new float[] {1, 1, 1});
    }

    @Test
    void roundsPriorGridsUpForSizesThatAreNotMultiplesOfTheStride() {
        // ceil(100/8)=13, ceil(100/16)=7, ceil(100/32)=4 cells a side, 2 sizes each.
        assertThat(RetinaFaceDecoder.priors(100, 100)).hasSize(4 * 2 * (169 + 49 + 16));
    }

    @Test
    void decodesOffsetsAgainstThePriorWithTheVariances() {
        // Stride 16, row 10, column 20, min size 128: centre (328, 168), size 128.
        int i = 12800 + (10 * 40 + 20) * 2 + 1;
        float[] loc = new float[4 * P];
        float[] conf = new float[2 * P];
        float[] lm = new float[10 * P];
        conf[2 * i + 1] = 0.9f;
        // cx += 10·0.1·128, cy -= 5·0.1·128, w = 128·exp(5ln2·0.2) = 256, h = 128.
        loc[4 * i] = 10;
        loc[4 * i + 1] = -5;
        loc[4 * i + 2] = (float) (5 * Math.log(2));
        lm[10 * i + 4] = 2.5f; // nose x: 328 + 2.5·0.1·128 = 360
        lm[10 * i + 5] = 5f; // nose y: 168 + 5·0.1·128 = 232

        List<Face> faces = decoder().decode(outputs(loc, conf, lm), 640, 640, 0.5f);

        assertThat(faces).hasSize(1);
        Face f = faces.get(0);
        assertThat(new float[] {f.x1(), f.y1(), f.x2(), f.y2()})
                .containsExactly(new float[] {328, 40, 584, 168}, within(1e-3f));
        assertThat(f.lx(2)).isCloseTo(360, within(1e-3f));
        assertThat(f.ly(2)).isCloseTo(232, within(1e-3f));
        assertThat(f.lx(0)).isCloseTo(328, within(1e-3f));
        assertThat(f.score()).isEqualTo(0.9f);
    }

    @Test
    void keepsOnlyPriorsScoringAtLeastTheMinimum() {
        float[] conf = new float[2 * P];
        conf[1] = 0.59f;
        conf[3] = 0.6f;
        conf[2] = 1f; // column 0 is the background score and never counts

        List<Face> faces =
                decoder()
                        .decode(outputs(new float[4 * P], conf, new float[10 * P]), 640, 640, 0.6f);

        assertThat(faces).extracting(Face::score).containsExactly(0.6f);
    }

    @Test
    void rejectsOutputsThatDoNotMatchThePriors() {
        OnnxModel.Outputs forSmaller =
                outputs(new float[4 * 100], new float[2 * 100], new float[10 * 100]);

        assertThatThrownBy(() -> decoder().decode(forSmaller, 640, 640, 0.5f))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("16800 priors");
    }

    private static RetinaFaceDecoder decoder() {
        return new RetinaFaceDecoder("output0", "572", "571");
    }

    private static OnnxModel.Outputs outputs(float[] loc, float[] conf, float[] lm) {
        int n = loc.length / 4;
        return new OnnxModel.Outputs(
                Map.of("output0", loc, "572", conf, "571", lm),
                Map.of(
                        "output0", new long[] {1, n, 4},
                        "572", new long[] {1, n, 2},
                        "571", new long[] {1, n, 10}));
    }

    private static float[] slice(float[] priors, int i) {
        return new float[] {priors[4 * i], priors[4 * i + 1], priors[4 * i + 2], priors[4 * i + 3]};
    }
}
