package io.facestream.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import io.facestream.model.ModelSpec;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

/** Fitting images into 640×640 detector inputs, and mapping detections back. */
class LetterboxTest {
    @Test
    void centreModeScalesToFitAndPadsEvenly() {
        assertThat(Letterbox.plan(1280, 720, input("letterbox-centre")))
                .isEqualTo(new Letterbox(0.5f, 0, 140, 640, 640, 640, 360));
        assertThat(Letterbox.plan(480, 960, input("letterbox-centre")))
                .isEqualTo(new Letterbox(2 / 3f, 160, 0, 640, 640, 320, 640));
    }

    @Test
    void topLeftModeScalesToFitAndPadsRightAndBottom() {
        assertThat(Letterbox.plan(1280, 720, input("letterbox-topleft")))
                .isEqualTo(new Letterbox(0.5f, 0, 0, 640, 640, 640, 360));
    }

    @Test
    void fitPad32ModeScalesLikeTheLetterboxButPadsOnlyToTheNextMultipleOf32() {
        // The clip: 640x360 stays at scale 1 and gets 12 rows of padding above and below
        // (letterbox-centre: 140), so the image sits on the stride-32 grid as before.
        assertThat(Letterbox.plan(640, 360, input("fit-pad32")))
                .isEqualTo(new Letterbox(1f, 0, 12, 640, 384, 640, 360));
        assertThat(Letterbox.plan(1280, 720, input("fit-pad32")))
                .isEqualTo(new Letterbox(0.5f, 0, 12, 640, 384, 640, 360));
        // Portrait: the long side is the height.
        assertThat(Letterbox.plan(480, 960, input("fit-pad32")))
                .isEqualTo(new Letterbox(2 / 3f, 0, 0, 320, 640, 320, 640));
        // Never a larger scale than letterbox-centre's, for any size: small images included.
        for (int[] wh : new int[][] {{1366, 768}, {100, 100}, {300, 90}, {1920, 1080}}) {
            Letterbox fit = Letterbox.plan(wh[0], wh[1], input("fit-pad32"));
            Letterbox square = Letterbox.plan(wh[0], wh[1], input("letterbox-centre"));
            assertThat(fit.scale()).isEqualTo(square.scale());
            assertThat(fit.inputWidth() % 32).isZero();
            assertThat(fit.inputHeight() % 32).isZero();
            assertThat(fit.inputWidth()).isBetween(fit.scaledWidth(), fit.scaledWidth() + 31);
            assertThat(fit.inputHeight()).isBetween(fit.scaledHeight(), fit.scaledHeight() + 31);
        }
    }

    @Test
    void downscaleModeShrinksLargeImagesAndPadsToMultiplesOf32() {
        Letterbox lb = Letterbox.plan(1366, 768, input("downscale-pad32"));

        assertThat(lb.scale()).isCloseTo(640 / 1366f, within(1e-6f));
        assertThat(lb)
                .extracting(Letterbox::scaledWidth, Letterbox::scaledHeight)
                .containsExactly(640, 360);
        assertThat(lb)
                .extracting(Letterbox::inputWidth, Letterbox::inputHeight)
                .containsExactly(640, 384);
    }

    @Test
    void downscaleModeNeverUpscalesASmallImage() {
        assertThat(Letterbox.plan(100, 50, input("downscale-pad32")))
                .isEqualTo(new Letterbox(1f, 0, 0, 128, 64, 100, 50));
        assertThat(Letterbox.plan(1, 1, input("downscale-pad32")))
                .isEqualTo(new Letterbox(1f, 0, 0, 32, 32, 1, 1));
        assertThat(Letterbox.plan(640, 480, input("downscale-pad32")))
                .isEqualTo(new Letterbox(1f, 0, 0, 640, 480, 640, 480));
    }

    @Test
    void applyPadsASmallImageWithoutResamplingIt() {
        try (Mat img = new Mat(50, 100, CV_8UC3, new Scalar(10, 20, 30, 0));
                Mat fitted = Letterbox.plan(100, 50, input("downscale-pad32")).apply(img);
                UByteIndexer ix = fitted.createIndexer()) {
            assertThat(fitted.cols()).isEqualTo(128);
            assertThat(fitted.rows()).isEqualTo(64);
            assertThat(ix.get(49, 99, 2)).isEqualTo(30);
            assertThat(ix.get(49, 100, 2)).isZero();
            assertThat(ix.get(50, 99, 2)).isZero();
        }
    }

    @Test
    void applyCentresTheScaledImageBetweenZeroBands() {
        try (Mat img = new Mat(720, 1280, CV_8UC3, Scalar.all(200));
                Mat fitted = Letterbox.plan(1280, 720, input("letterbox-centre")).apply(img);
                UByteIndexer ix = fitted.createIndexer()) {
            assertThat(fitted.cols()).isEqualTo(640);
            assertThat(fitted.rows()).isEqualTo(640);
            assertThat(ix.get(139, 320, 0)).isZero();
            assertThat(ix.get(140, 320, 0)).isEqualTo(200);
            assertThat(ix.get(499, 320, 0)).isEqualTo(200);
            assertThat(ix.get(500, 320, 0)).isZero();
        }
    }

    @Test
    void undoMapsAPointBackExactly() {
        Letterbox lb = Letterbox.plan(1280, 720, input("letterbox-centre"));
        // (100, 200) in the image is (50, 240) in the network input.
        Face inInput = pointFace(50, 240);

        Face back = lb.undo(inInput);

        assertThat(back.x1()).isEqualTo(100f);
        assertThat(back.y1()).isEqualTo(200f);
        assertThat(back.lx(3)).isEqualTo(100f);
        assertThat(back.ly(3)).isEqualTo(200f);
    }

    @Test
    void undoInvertsTheForwardMappingForEveryMode() {
        for (String mode :
                new String[] {
                    "letterbox-centre", "letterbox-topleft", "downscale-pad32", "fit-pad32"
                }) {
            Letterbox lb = Letterbox.plan(1366, 768, input(mode));
            float x = 1000.5f;
            float y = 333.25f;
            Face back = lb.undo(pointFace(x * lb.scale() + lb.padX(), y * lb.scale() + lb.padY()));
            assertThat(back.lx(0)).as(mode).isCloseTo(x, within(1e-3f));
            assertThat(back.ly(0)).as(mode).isCloseTo(y, within(1e-3f));
        }
    }

    @Test
    void rejectsAnUnknownMode() {
        assertThatThrownBy(() -> Letterbox.plan(10, 10, input("stretch")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stretch");
    }

    private static Face pointFace(float x, float y) {
        float[] l = new float[10];
        for (int k = 0; k < 5; k++) {
            l[2 * k] = x;
            l[2 * k + 1] = y;
        }
        return new Face(x, y, x + 1, y + 1, l, 1f);
    }

    private static ModelSpec.InputSpec input(String resize) {
        return new ModelSpec.InputSpec(
                "input",
                "NCHW",
                new long[] {1, 3, 640, 640},
                640,
                640,
                resize,
                "BGR",
                new float[3],
                new float[] {1, 1, 1});
    }
}
