package io.facestream.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;

import io.facestream.detect.Face;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.Test;

/** The measures on drawn crops: sharpness direction, its central region, geometry and pose. */
class FaceQualityTest {
    @Test
    void flatCropHasNoSharpnessAndBlurLowersIt() {
        try (Mat flat = new Mat(112, 112, CV_8UC3, Scalar.all(90));
                Mat checks = checkerboard(112, 4);
                Mat blurred = new Mat()) {
            GaussianBlur(checks, blurred, new Size(9, 9), 3);
            assertThat(FaceQuality.sharpness(flat)).isEqualTo(0.0);
            double sharp = FaceQuality.sharpness(checks);
            assertThat(sharp).isGreaterThan(1000);
            assertThat(FaceQuality.sharpness(blurred)).isLessThan(sharp / 10);
        }
    }

    @Test
    void edgesOutsideTheFaceCentreDoNotCount() {
        // A bright bar across the top (hair, a sign) and the warp's black border at the side.
        try (Mat crop = new Mat(112, 112, CV_8UC3, Scalar.all(60))) {
            rectangle(crop, new Point(0, 0), new Point(111, 20), Scalar.all(250), -1, 8, 0);
            rectangle(crop, new Point(100, 0), new Point(111, 111), Scalar.all(0), -1, 8, 0);
            assertThat(FaceQuality.sharpness(crop)).isEqualTo(0.0);
            rectangle(crop, new Point(50, 60), new Point(60, 70), Scalar.all(250), -1, 8, 0);
            assertThat(FaceQuality.sharpness(crop)).isGreaterThan(100);
        }
    }

    @Test
    void measuresGeometryPoseAndScore() {
        float[] l = HeadPoseTest.project(HeadPoseTest.head(), Math.toRadians(-30), 0, 0, 1);
        Face face = new Face(60, 50, 140, 150, l, 0.93f);
        try (Mat crop = checkerboard(112, 8)) {
            FaceQuality q = FaceQuality.measure(face, crop);
            assertThat(q.interOcular())
                    .isCloseTo((float) (40 * Math.cos(Math.toRadians(30))), within(0.01f));
            assertThat(q.minSide()).isEqualTo(80f);
            assertThat(q.frontalInterOcular()).isEqualTo(q.interOcular());
            assertThat(q.yaw()).isCloseTo(-30f, within(1f));
            assertThat(q.pitch()).isCloseTo(0f, within(1f));
            assertThat(q.score()).isEqualTo(0.93f);
            assertThat(q.sharpness()).isEqualTo((float) FaceQuality.sharpness(crop));
        }
    }

    static Mat checkerboard(int size, int cell) {
        Mat m = new Mat(size, size, CV_8UC3, Scalar.all(0));
        for (int y = 0; y < size; y += cell) {
            for (int x = (y / cell) % 2 * cell; x < size; x += 2 * cell) {
                rectangle(
                        m,
                        new Point(x, y),
                        new Point(x + cell - 1, y + cell - 1),
                        Scalar.all(255),
                        -1,
                        8,
                        0);
            }
        }
        return m;
    }
}
