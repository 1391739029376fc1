package io.facestream.quality;

import io.facestream.align.AlignedFace;
import io.facestream.align.FaceAligner;
import io.facestream.decode.ImageDecoder;
import io.facestream.detect.DetectorOptions;
import io.facestream.detect.Face;
import io.facestream.detect.FaceDetector;
import io.facestream.detect.FaceDetectors;
import io.facestream.embed.FaceEmbedder;
import io.facestream.embed.Vectors;
import io.facestream.model.ModelManifest;
import io.facestream.model.ModelOptions;
import io.facestream.testing.TestData;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Measures the quality of every face the default detector finds in the people gallery photos and in
 * every frame of the Hamilton clip, with the gallery identity nearest to it (default embedder), and
 * prints the percentiles of each measure; the figures in docs/quality.md come from here.
 *
 * <p>{@code java -cp <test classpath> io.facestream.quality.QualityMeasurement [out-dir]} writes
 * {@code faces.csv} and, for a human to look at, every aligned crop as {@code crops/<n>.png}.
 */
public final class QualityMeasurement implements AutoCloseable {
    /** One measured face: where it came from, its measures, and who it looks most like. */
    public record Row(String source, int frame, Face face, FaceQuality q, String who, double sim) {}

    private final FaceDetector detector;
    private final FaceEmbedder embedder;
    private final FaceAligner aligner = new FaceAligner(112);
    private final Map<String, List<float[]>> gallery = new LinkedHashMap<>();

    public QualityMeasurement() {
        ModelManifest m = ModelManifest.bundled();
        detector =
                FaceDetectors.open(
                        m.defaultDetector(), ModelOptions.DEFAULT, DetectorOptions.DEFAULT);
        embedder = FaceEmbedder.open(m.defaultEmbedder(), ModelOptions.DEFAULT, 1);
    }

    /** Every face of every photo of {@code people/gallery}, enrolling each as its folder's name. */
    public List<Row> galleryFaces(Path cropDir) throws IOException {
        List<Row> rows = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(TestData.data("people/gallery"))) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        ImageDecoder decoder = new ImageDecoder();
        for (Path file : files) {
            String who = file.getParent().getFileName().toString();
            try (Mat img = decoder.decode(file)) {
                for (Face f : detector.detect(img)) {
                    try (AlignedFace a = aligner.align(img, f)) {
                        gallery.computeIfAbsent(who, k -> new ArrayList<>())
                                .add(embedder.embed(a.crop()));
                        rows.add(row(file.getFileName().toString(), 0, f, a, cropDir, rows.size()));
                    }
                }
            }
        }
        return rows;
    }

    /** Every face of every frame of {@code video} (the gallery must have been measured first). */
    public List<Row> videoFaces(Path video, Path cropDir) throws IOException {
        List<Row> rows = new ArrayList<>();
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(video.toFile());
                OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat()) {
            g.start();
            Frame frame;
            int n = 0;
            while ((frame = g.grabImage()) != null) {
                Mat img = conv.convert(frame);
                // Unclipped, as DetectAlignFunction hands faces on.
                for (Face f : detector.detect(img)) {
                    try (AlignedFace a = aligner.align(img, f)) {
                        rows.add(
                                row(video.getFileName().toString(), n, f, a, cropDir, rows.size()));
                    }
                }
                n++;
            }
        }
        return rows;
    }

    private Row row(String source, int frame, Face f, AlignedFace a, Path cropDir, int i) {
        if (cropDir != null) {
            opencv_imgcodecs.imwrite(
                    cropDir.resolve(source.replaceAll("\\W", "_") + "_" + i + ".png").toString(),
                    a.crop());
        }
        String who = "?";
        double best = -1;
        if (!gallery.isEmpty()) {
            float[] v = embedder.embed(a.crop());
            for (Map.Entry<String, List<float[]>> e : gallery.entrySet()) {
                for (float[] g : e.getValue()) {
                    double c = Vectors.cosine(v, g);
                    if (c > best) {
                        best = c;
                        who = e.getKey();
                    }
                }
            }
        }
        return new Row(source, frame, f, FaceQuality.measure(f, a.crop()), who, best);
    }

    /** p0, p5, p25, p50, p75, p95, p100 of one measure. */
    public static String percentiles(List<Row> rows, ToDoubleFunction<FaceQuality> measure) {
        double[] v =
                rows.stream().mapToDouble(r -> measure.applyAsDouble(r.q())).sorted().toArray();
        if (v.length == 0) {
            return "-";
        }
        StringBuilder sb = new StringBuilder();
        for (int p : new int[] {0, 5, 25, 50, 75, 95, 100}) {
            sb.append(
                    String.format(" p%d=%.1f", p, v[(int) Math.round(p / 100.0 * (v.length - 1))]));
        }
        return sb.toString().trim();
    }

    static void summary(String title, List<Row> rows) {
        System.out.printf("%s: %d faces%n", title, rows.size());
        System.out.println("  interOcular " + percentiles(rows, FaceQuality::interOcular));
        System.out.println("  minSide     " + percentiles(rows, FaceQuality::minSide));
        System.out.println("  frontalIO   " + percentiles(rows, FaceQuality::frontalInterOcular));
        System.out.println("  sharpness   " + percentiles(rows, FaceQuality::sharpness));
        System.out.println("  |yaw|       " + percentiles(rows, q -> Math.abs(q.yaw())));
        System.out.println("  pitch       " + percentiles(rows, FaceQuality::pitch));
        System.out.println("  score       " + percentiles(rows, q -> 100 * q.score()));
        System.out.println(
                "  io/minSide  " + percentiles(rows, q -> 100 * q.interOcular() / q.minSide()));
    }

    @Override
    public void close() {
        detector.close();
        embedder.close();
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "target/test-output/quality");
        Path crops = Files.createDirectories(out.resolve("crops"));
        try (QualityMeasurement m = new QualityMeasurement();
                PrintWriter csv =
                        new PrintWriter(Files.newBufferedWriter(out.resolve("faces.csv")))) {
            List<Row> photos = m.galleryFaces(crops);
            List<Row> clip = m.videoFaces(TestData.data("video/hamilton_clip.mp4"), crops);
            summary("people/gallery", photos);
            summary("hamilton_clip", clip);
            csv.println("source,frame,x1,y1,x2,y2,io,minSide,sharp,yaw,pitch,score,who,sim,crop");
            for (List<Row> rows : List.of(photos, clip)) {
                int j = 0;
                for (Row r : rows) {
                    FaceQuality q = r.q();
                    csv.printf(
                            "%s,%d,%.0f,%.0f,%.0f,%.0f,%.1f,%.1f,%.1f,%.1f,%.1f,%.3f,%s,%.3f,%s_%d%n",
                            r.source(),
                            r.frame(),
                            r.face().x1(),
                            r.face().y1(),
                            r.face().x2(),
                            r.face().y2(),
                            q.interOcular(),
                            q.minSide(),
                            q.sharpness(),
                            q.yaw(),
                            q.pitch(),
                            q.score(),
                            r.who(),
                            r.sim(),
                            r.source().replaceAll("\\W", "_"),
                            j++);
                }
            }
        }
        System.out.println("wrote " + out.toAbsolutePath());
    }
}
