package io.facestream.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/** Shot cuts in the real sample clip stand out from motion within a shot. */
class FrameSignatureITCase {
    static final Path CLIP =
            Path.of(System.getProperty("facestream.project.root", ".."))
                    .resolve("../shared/data/video/hamilton_clip.mp4")
                    .toAbsolutePath()
                    .normalize();

    static List<Float> differences() throws Exception {
        List<Float> out = new ArrayList<>();
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(CLIP.toFile());
                OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat()) {
            g.start();
            byte[] prev = null;
            Frame f;
            while ((f = g.grabImage()) != null) {
                Mat m = conv.convert(f);
                byte[] sig = FrameSignature.of(m);
                if (prev != null) {
                    out.add(FrameSignature.difference(prev, sig));
                }
                prev = sig;
            }
        }
        return out;
    }

    /**
     * The clip's three cuts (to the pianist at frame 20, back to the stage at 82, to the audience
     * at 211: seen in its frames) are the only pairs above the tracker's default cut threshold.
     */
    @Test
    void findsTheClipsThreeCutsAndNothingElse() throws Exception {
        List<Float> d = differences();
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < d.size(); i++) {
            if (d.get(i) > 8) {
                big.append(String.format(" %d:%.1f", i + 1, d.get(i)));
            }
        }
        List<Float> sorted = new ArrayList<>(d);
        sorted.sort(null);
        System.out.printf(
                "signature differences over %d frame pairs: median %.2f, p90 %.2f, p99 %.2f,"
                        + " max %.2f; above 8:%s%n",
                d.size(),
                sorted.get(d.size() / 2),
                sorted.get(d.size() * 9 / 10),
                sorted.get(d.size() * 99 / 100),
                sorted.get(d.size() - 1),
                big);
        assertThat(d).hasSize(274);
        List<Integer> cuts = new ArrayList<>();
        for (int i = 0; i < d.size(); i++) {
            if (d.get(i) > io.facestream.flink.TrackOptions.CUT_THRESHOLD.defaultValue()) {
                cuts.add(i + 1); // the frame after the cut
            }
        }
        assertThat(cuts).containsExactly(20, 82, 211);
    }
}
