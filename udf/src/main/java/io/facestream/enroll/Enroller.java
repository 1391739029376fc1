package io.facestream.enroll;

import io.facestream.analyze.AnalyzedFace;
import io.facestream.analyze.FaceAnalyzer;
import io.facestream.decode.ImageDecodeException;
import io.facestream.detect.Face;
import io.facestream.gallery.FaceGallery;
import io.facestream.gallery.GalleryEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Enrols a folder tree of photos into a gallery, one entry per photo: the seed's rules, with
 * reasons. A photo with no face is skipped; one with two or more faces is skipped too, unless
 * {@code largestFace} is set, which takes the largest. Unreadable files and non-images are skipped
 * with the decoder's reason. Entry ids hash the image bytes and the face box, so running again over
 * the same photos adds nothing. A gallery error (Redis down, wrong model) stops the run: continuing
 * would only repeat it for every file.
 */
public final class Enroller {
    /** Called after each file: done so far, total, the file. */
    public interface Progress {
        void update(int done, int total, Path file);
    }

    private static final Set<String> HIDDEN = Set.of(".DS_Store", "Thumbs.db");

    private final FaceAnalyzer analyzer;
    private final FaceGallery gallery;
    private final IdentityNaming naming;
    private final boolean largestFace;

    public Enroller(
            FaceAnalyzer analyzer,
            FaceGallery gallery,
            IdentityNaming naming,
            boolean largestFace) {
        this.analyzer = analyzer;
        this.gallery = gallery;
        this.naming = naming;
        this.largestFace = largestFace;
    }

    public EnrollReport enroll(Path root, Progress progress) {
        List<Path> files = listFiles(root);
        EnrollReport report = new EnrollReport();
        String model = analyzer.embedder().spec().vectorSpace();
        int dim = analyzer.embedder().dimension();
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            report.file();
            try {
                String identity = naming.identityOf(root, file);
                byte[] bytes = Files.readAllBytes(file);
                List<AnalyzedFace> faces = analyzer.analyze(bytes, file.toString());
                AnalyzedFace chosen = choose(faces, file, report);
                if (chosen != null) {
                    Face f = chosen.face();
                    GalleryEntry entry =
                            new GalleryEntry(
                                    GalleryEntry.entryId(bytes, f.x1(), f.y1(), f.x2(), f.y2()),
                                    identity,
                                    model,
                                    dim,
                                    root.relativize(file).toString(),
                                    System.currentTimeMillis(),
                                    chosen.embedding());
                    report.enrolled(identity, gallery.add(List.of(entry)) > 0);
                }
            } catch (IOException e) {
                report.skip(file, "unreadable: " + e.getMessage());
            } catch (ImageDecodeException e) {
                report.skip(file, "not an image: " + stripSource(e));
            } catch (IllegalArgumentException e) {
                report.skip(file, e.getMessage());
            }
            progress.update(i + 1, files.size(), file);
        }
        return report;
    }

    private AnalyzedFace choose(List<AnalyzedFace> faces, Path file, EnrollReport report) {
        if (faces.isEmpty()) {
            report.skip(file, "no face found");
            return null;
        }
        if (faces.size() > 1 && !largestFace) {
            report.skip(
                    file, faces.size() + " faces found (use --largest-face to take the largest)");
            return null;
        }
        return faces.stream().max(Comparator.comparingDouble(a -> a.face().area())).orElseThrow();
    }

    private static String stripSource(ImageDecodeException e) {
        String m = e.getMessage();
        String prefix = e.source() + ": ";
        return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    }

    /** Regular files under {@code root}, sorted, hidden and OS clutter files left out. */
    public static List<Path> listFiles(Path root) {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("enrolment root " + root + " is not a folder");
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> !HIDDEN.contains(p.getFileName().toString()))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }
}
