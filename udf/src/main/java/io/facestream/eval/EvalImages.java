package io.facestream.eval;

import io.facestream.analyze.AnalyzedFace;
import io.facestream.analyze.FaceAnalyzer;
import io.facestream.decode.ImageDecodeException;
import io.facestream.detect.Face;
import io.facestream.enroll.Enroller;
import io.facestream.enroll.IdentityNaming;
import io.facestream.gallery.GalleryEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Embeds labelled images the way enrolment does (same analyzer, same one-face rule, same entry
 * ids), keeping every failure with its reason instead of stopping.
 */
public final class EvalImages {
    /** Called after each image: done so far, total, the image. */
    public interface Progress {
        void update(int done, int total, Path file);
    }

    private final FaceAnalyzer analyzer;
    private final boolean largestFace;
    private final List<EvalSample> samples = new ArrayList<>();
    private final List<EvalFailure> failures = new ArrayList<>();

    public EvalImages(FaceAnalyzer analyzer, boolean largestFace) {
        this.analyzer = analyzer;
        this.largestFace = largestFace;
    }

    /** Embeds every image under {@code root}, identities named as enrolment names them. */
    public EvalImages addFolder(Path root, IdentityNaming naming, Progress progress) {
        List<Path> files = Enroller.listFiles(root);
        emptyFolders(root, naming);
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            String identity;
            try {
                identity = naming.identityOf(root, file);
            } catch (IllegalArgumentException e) {
                failures.add(
                        new EvalFailure(
                                file.toString(),
                                null,
                                EvalFailure.Reason.UNREADABLE,
                                e.getMessage()));
                progress.update(i + 1, files.size(), file);
                continue;
            }
            add(file, identity);
            progress.update(i + 1, files.size(), file);
        }
        return this;
    }

    /**
     * Embeds listed images: each is labelled by its file name ({@code Name_N.jpg}), or with {@link
     * IdentityNaming#FOLDERS} by the folder holding it ({@code obama/any.jpg} → {@code obama}).
     */
    public EvalImages addFiles(List<Path> files, IdentityNaming naming, Progress progress) {
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i).toAbsolutePath();
            Path root = naming == IdentityNaming.FOLDERS ? file.getParent().getParent() : null;
            try {
                add(file, naming.identityOf(root != null ? root : file.getParent(), file));
            } catch (IllegalArgumentException e) {
                failures.add(
                        new EvalFailure(
                                files.get(i).toString(),
                                null,
                                EvalFailure.Reason.UNREADABLE,
                                e.getMessage()));
            }
            progress.update(i + 1, files.size(), file);
        }
        return this;
    }

    /** Embeds one image; returns it, or null after recording why it is unusable. */
    public EvalSample add(Path file, String identity) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            return fail(file, identity, EvalFailure.Reason.UNREADABLE, "no such file");
        } catch (IOException e) {
            return fail(file, identity, EvalFailure.Reason.UNREADABLE, String.valueOf(e));
        }
        List<AnalyzedFace> faces;
        try {
            faces = analyzer.analyze(bytes, file.toString());
        } catch (ImageDecodeException | IllegalArgumentException e) {
            return fail(file, identity, EvalFailure.Reason.DECODE_ERROR, e.getMessage());
        }
        if (faces.isEmpty()) {
            return fail(file, identity, EvalFailure.Reason.NO_FACE, "no face found");
        }
        if (faces.size() > 1 && !largestFace) {
            return fail(
                    file,
                    identity,
                    EvalFailure.Reason.SEVERAL_FACES,
                    faces.size() + " faces found (--largest-face takes the largest)");
        }
        AnalyzedFace a =
                faces.stream().max(Comparator.comparingDouble(f -> f.face().area())).orElseThrow();
        Face f = a.face();
        EvalSample s =
                new EvalSample(
                        file,
                        identity,
                        GalleryEntry.entryId(bytes, f.x1(), f.y1(), f.x2(), f.y2()),
                        a.embedding(),
                        a.crop(),
                        a.cropSize());
        samples.add(s);
        return s;
    }

    public List<EvalSample> samples() {
        return samples;
    }

    public List<EvalFailure> failures() {
        return failures;
    }

    /** Usable samples per person, people by name, each person's in file order. */
    public SortedMap<String, List<EvalSample>> byIdentity() {
        SortedMap<String, List<EvalSample>> out = new TreeMap<>();
        for (EvalSample s : samples) {
            out.computeIfAbsent(s.identity(), k -> new ArrayList<>()).add(s);
        }
        return out;
    }

    private EvalSample fail(Path file, String identity, EvalFailure.Reason reason, String msg) {
        failures.add(new EvalFailure(file.toString(), identity, reason, msg));
        return null;
    }

    private void emptyFolders(Path root, IdentityNaming naming) {
        if (naming == IdentityNaming.NAMES) {
            return;
        }
        try (Stream<Path> s = Files.list(root)) {
            for (Path dir : s.filter(Files::isDirectory).sorted().toList()) {
                if (Enroller.listFiles(dir).isEmpty()) {
                    failures.add(
                            new EvalFailure(
                                    dir.toString(),
                                    dir.getFileName().toString(),
                                    EvalFailure.Reason.EMPTY_FOLDER,
                                    "folder holds no images"));
                }
            }
        } catch (IOException e) {
            failures.add(
                    new EvalFailure(
                            root.toString(),
                            null,
                            EvalFailure.Reason.UNREADABLE,
                            String.valueOf(e)));
        }
    }
}
