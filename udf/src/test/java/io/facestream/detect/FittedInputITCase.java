package io.facestream.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.facestream.decode.ImageDecoder;
import io.facestream.model.ModelManifest;
import io.facestream.model.ModelOptions;
import io.facestream.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The default detector fed a frame-shaped input ({@code retinaface_mnet025}: {@code fit-pad32},
 * 640×384 for the clip) finds the faces the original finds on the 640×640 letterbox ({@code
 * retinaface_mnet025_640}). On every shared scene photo: the same faces, each pair at box IoU ≥
 * 0.9. On every frame of the sample clip: at most 4 % of the faces unpaired or below IoU 0.9, the
 * unpaired ones (bar two at most) borderline (score below 0.7, threshold 0.6). Not bit-identical:
 * the network sees less black padding around the frame, which moves faces at the frame's edges.
 */
class FittedInputITCase {
    private static final ModelManifest MANIFEST = ModelManifest.bundled();
    private static final float BORDERLINE = 0.7f;
    private static FaceDetector fitted;
    private static FaceDetector square;

    @BeforeAll
    static void open() {
        fitted = open("retinaface_mnet025");
        square = open("retinaface_mnet025_640");
    }

    @AfterAll
    static void close() {
        fitted.close();
        square.close();
    }

    @Test
    void sameFacesOnEveryFrameOfTheClip() throws Exception {
        Stats stats = new Stats();
        try (FFmpegFrameGrabber g =
                        new FFmpegFrameGrabber(TestData.data("video/hamilton_clip.mp4").toFile());
                OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat()) {
            g.start();
            Frame f;
            for (int n = 0; (f = g.grabImage()) != null; n++) {
                Mat img = conv.convert(f);
                assertThat(img.cols() * 9).isEqualTo(img.rows() * 16);
                stats.compare("frame " + n, square.detect(img), fitted.detect(img));
            }
        }
        System.out.println("clip: " + stats);
        assertThat(stats.images).isGreaterThan(250);
        assertThat(stats.faces).isGreaterThan(500);
        // Measured: 729 faces, 14 unpaired (13 scoring 0.61-0.68, one 0.85), 11 paired below IoU
        // 0.9 (worst 0.81). The faces that move sit at the frame's top or bottom edge, where the
        // 640x640 letterbox shows the network 140 black rows and the fitted input 12; shifting
        // the image by 32 rows inside the 640x640 input moves 3 of 729 faces.
        assertThat(stats.unpaired + stats.below).isLessThanOrEqualTo(stats.faces * 4 / 100);
        assertThat(stats.confident).isLessThanOrEqualTo(2);
    }

    @Test
    void sameFacesOnEverySharedScenePhoto() throws Exception {
        Stats stats = new Stats();
        for (String set : List.of("friends", "people", "bbt")) {
            try (Stream<Path> s = Files.list(TestData.data(set + "/scenes"))) {
                for (Path p : s.sorted().toList()) {
                    try (Mat img = new ImageDecoder().decode(p)) {
                        stats.compare(
                                p.getFileName().toString(), square.detect(img), fitted.detect(img));
                    }
                }
            }
        }
        System.out.println("photos: " + stats);
        assertThat(stats.images).isEqualTo(12);
        assertThat(stats.faces).isGreaterThan(30);
        assertThat(stats.unpaired).isZero();
        assertThat(stats.below).isZero();
    }

    private static FaceDetector open(String id) {
        return FaceDetectors.open(MANIFEST.get(id), ModelOptions.DEFAULT, DetectorOptions.DEFAULT);
    }

    /**
     * Pairs each face of one list with its best match (IoU ≥ 0.5) in the other. Matched pairs must
     * overlap at IoU ≥ 0.9; a face without a partner must be borderline (score below {@link
     * #BORDERLINE}): the padding around the image differs (12 vs 140 rows), which moves scores by
     * float noise and can tip a face sitting on the 0.6 threshold either way.
     */
    private static final class Stats {
        int images;
        int faces;
        int unpaired;
        int below;
        int confident;
        float worstIou = 1;
        float worstScore;
        float worstUnpaired;

        void compare(String what, List<Face> expected, List<Face> actual) {
            List<Face> left = new ArrayList<>(actual);
            for (Face e : expected) {
                Face best = null;
                for (Face a : left) {
                    if (Face.iou(e, a) >= 0.5f
                            && (best == null || Face.iou(e, a) > Face.iou(e, best))) {
                        best = a;
                    }
                }
                if (best == null) {
                    unpaired(what, e);
                    continue;
                }
                float iou = Face.iou(e, best);
                if (iou < 0.9f) {
                    below++;
                }
                left.remove(best);
                worstIou = Math.min(worstIou, iou);
                worstScore = Math.max(worstScore, Math.abs(e.score() - best.score()));
            }
            left.forEach(a -> unpaired(what, a));
            images++;
            faces += expected.size();
        }

        private void unpaired(String what, Face f) {
            if (f.score() >= BORDERLINE) {
                confident++;
            }
            unpaired++;
            worstUnpaired = Math.max(worstUnpaired, f.score());
        }

        @Override
        public String toString() {
            return String.format(
                    "%d images, %d faces (640x640 input), %d unpaired (highest score %.3f), worst"
                            + " IoU %.4f, %d below 0.9, %d unpaired scoring >= %.1f, worst score difference %.4f",
                    images,
                    faces,
                    unpaired,
                    worstUnpaired,
                    worstIou,
                    below,
                    confident,
                    BORDERLINE,
                    worstScore);
        }
    }
}
