package io.facestream.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.facestream.model.ModelResolver;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the shared real data ({@code ../shared} beside the project) and a scratch output folder.
 * Fails, never skips, when the data is missing: tests that claim detection or recognition run on
 * the real photos or not at all.
 */
public final class TestData {
    private TestData() {}

    public static Path shared() {
        Path root =
                ModelResolver.projectRoot()
                        .orElseThrow(() -> new AssertionError("cannot locate the project root"));
        Path shared = root.resolve("../shared").normalize();
        assertThat(shared.resolve("data"))
                .as("../shared/data must sit beside the project (see README)")
                .isDirectory();
        return shared;
    }

    public static Path data(String relative) {
        Path p = shared().resolve("data").resolve(relative);
        assertThat(p).as("shared test input").exists();
        return p;
    }

    /** A live RTSP camera serving the sample clip (29.97 fps, 640x360), started. */
    public static RtspCamera hamiltonCamera() throws java.io.IOException {
        RtspCamera camera =
                new RtspCamera(
                        shared().resolve("tools/rtsp/serve.py"),
                        data("video/hamilton_clip.mp4"),
                        "/cam");
        camera.start();
        return camera;
    }

    /** Writes a PNG copy at most 1000 px wide next to {@code name} (PNG: viewable everywhere). */
    public static void writePreview(org.bytedeco.opencv.opencv_core.Mat img, Path name) {
        double s = Math.min(1.0, 1000.0 / img.cols());
        try (org.bytedeco.opencv.opencv_core.Mat small =
                new org.bytedeco.opencv.opencv_core.Mat()) {
            org.bytedeco.opencv.global.opencv_imgproc.resize(
                    img, small, new org.bytedeco.opencv.opencv_core.Size(), s, s, 3);
            org.bytedeco.opencv.global.opencv_imgcodecs.imwrite(
                    name.toString().replaceAll("\\.[a-zA-Z]+$", "") + ".png", small);
        }
    }

    /** {@code target/test-output/<name>} of the module under test, created. */
    public static Path output(String name) {
        try {
            Path dir = Path.of("target", "test-output", name);
            Files.createDirectories(dir);
            return dir;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** {@code ../shared/models/<file>}, which must exist. */
    public static Path sharedModel(String file) {
        Path p = shared().resolve("models").resolve(file);
        assertThat(p).as("shared model file").isRegularFile();
        return p;
    }

    /** The image encoded by OpenCV in the format of {@code ext} (".png", ".jpg", ".bmp"). */
    public static byte[] encode(org.bytedeco.opencv.opencv_core.Mat img, String ext) {
        try (org.bytedeco.javacpp.BytePointer buf = new org.bytedeco.javacpp.BytePointer()) {
            assertThat(org.bytedeco.opencv.global.opencv_imgcodecs.imencode(ext, img, buf))
                    .as("OpenCV encodes %s", ext)
                    .isTrue();
            byte[] bytes = new byte[(int) buf.limit()];
            buf.get(bytes);
            return bytes;
        }
    }
}
