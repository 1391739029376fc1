package io.facestream.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import io.facestream.decode.ImageDecoder;
import io.facestream.model.ModelException;
import io.facestream.model.ModelManifest;
import io.facestream.model.ModelOptions;
import io.facestream.testing.TestData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every detector on images at the edges of what it can be given: no face gives an empty list, odd
 * sizes give a result without crashing, and images that are not 8-bit BGR are refused with a typed
 * error.
 */
class DetectorBadInputsITCase {
    private static final Map<String, FaceDetector> DETECTORS = new LinkedHashMap<>();
    private final ImageDecoder decoder = new ImageDecoder();

    @BeforeAll
    static void openDetectors() {
        for (String id :
                List.of("retinaface_mnet025", "yunet_2023mar", "scrfd_500m", "scrfd_2.5g")) {
            DETECTORS.put(
                    id,
                    FaceDetectors.open(
                            ModelManifest.bundled().get(id),
                            ModelOptions.DEFAULT,
                            DetectorOptions.DEFAULT));
        }
    }

    @AfterAll
    static void closeDetectors() {
        DETECTORS.values().forEach(FaceDetector::close);
        DETECTORS.clear();
    }

    @Test
    void findsNoFaceInAOneByOnePixelImage() {
        byte[] png;
        try (Mat dot = new Mat(1, 1, CV_8UC3, new Scalar(90, 120, 200, 0))) {
            png = TestData.encode(dot, ".png");
        }
        try (Mat img = decoder.decode(png, "1x1.png")) {
            DETECTORS.forEach((id, det) -> assertThat(det.detect(img)).as(id).isEmpty());
        }
    }

    @Test
    void findsNoFaceInAWhiteImage() {
        try (Mat img = decoder.decode(TestData.data("edge/no_face_white.png"))) {
            DETECTORS.forEach((id, det) -> assertThat(det.detect(img)).as(id).isEmpty());
        }
    }

    @Test
    void findsNoFaceInAStripOnePixelHighAfterScaling() {
        try (Mat strip = new Mat(2, 5000, CV_8UC3, Scalar.all(128))) {
            DETECTORS.forEach((id, det) -> assertThat(det.detect(strip)).as(id).isEmpty());
        }
    }

    @Test
    void findsTheFacesOfAPhotoPastedIntoA10000By8000Jpeg() {
        // The 640×638 photo blown up 10× on a black 10000×8000 canvas, encoded and decoded as any
        // upload would be: every detector must shrink it and map its faces back to full size.
        Rect pasted = new Rect(1800, 800, 6400, 6380);
        byte[] jpeg;
        try (Mat canvas = new Mat(8000, 10000, CV_8UC3, Scalar.all(0));
                Mat photo = decoder.decode(TestData.data("friends/scenes/Friends1.jpg"));
                Mat big = new Mat();
                Mat roi = canvas.apply(pasted)) {
            resize(photo, big, new Size(pasted.width(), pasted.height()), 0, 0, INTER_LINEAR);
            big.copyTo(roi);
            jpeg = TestData.encode(canvas, ".jpg");
        }

        try (Mat img = decoder.decode(jpeg, "10000x8000.jpg")) {
            assertThat(img.cols()).isEqualTo(10000);
            assertThat(img.rows()).isEqualTo(8000);
            Map<String, List<Face>> found = new LinkedHashMap<>();
            DETECTORS.forEach((id, det) -> found.put(id, det.detect(img)));
            found.forEach(
                    (id, faces) -> {
                        assertThat(faces).as(id).hasSize(3);
                        for (Face f : faces) {
                            assertThat(f.x1()).as("%s %s", id, f).isGreaterThan(pasted.x());
                            assertThat(f.y1()).as("%s %s", id, f).isGreaterThan(pasted.y());
                            // Faces in the photo are 110-190 px wide: 10× here.
                            assertThat(f.width()).as("%s %s", id, f).isBetween(1000f, 2000f);
                            DetectorsITCase.assertPlausible(f);
                        }
                    });
        }
    }

    @Test
    void findsObamaInAnRgbaPng() {
        try (Mat img = decoder.decode(TestData.data("edge/32bit.png"))) {
            DETECTORS.forEach(
                    (id, det) -> {
                        List<Face> faces = det.detect(img);
                        assertThat(faces).as(id).isNotEmpty();
                        Face top = faces.get(0);
                        float cx = (top.x1() + top.x2()) / 2;
                        float cy = (top.y1() + top.y2()) / 2;
                        assertThat(cx).as("%s %s", id, top).isBetween(250f, 480f);
                        assertThat(cy).as("%s %s", id, top).isBetween(300f, 550f);
                    });
        }
    }

    @Test
    void findsTheFaceInAPaddedGreyscaleHeadShot() {
        try (Mat img = decoder.decode(TestData.data("bbt/gallery/Amy_1.png"));
                FaceDetector padded =
                        FaceDetectors.open(
                                ModelManifest.bundled().defaultDetector(),
                                ModelOptions.DEFAULT,
                                DetectorOptions.DEFAULT.withPad(0.4f))) {
            List<Face> faces = padded.detect(img);

            assertThat(faces).hasSize(1);
            DetectorsITCase.assertPlausible(faces.get(0));
        }
    }

    @Test
    void refusesToOpenAnEmbedderAsADetector() {
        assertThatThrownBy(
                        () ->
                                FaceDetectors.open(
                                        ModelManifest.bundled().defaultEmbedder(),
                                        ModelOptions.DEFAULT,
                                        DetectorOptions.DEFAULT))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("not a detector");
    }

    @Test
    void refusesImagesThatAreNotThreeChannelBgr() {
        List<Mat> bad = new ArrayList<>();
        bad.add(new Mat(64, 64, CV_8UC1, Scalar.all(0)));
        bad.add(new Mat());
        try {
            for (Mat img : bad) {
                DETECTORS.forEach(
                        (id, det) ->
                                assertThatThrownBy(() -> det.detect(img))
                                        .as(id)
                                        .isInstanceOf(IllegalArgumentException.class)
                                        .hasMessageContaining("3-channel BGR"));
            }
        } finally {
            bad.forEach(Mat::close);
        }
    }
}
