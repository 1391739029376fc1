package io.facestream.cli;

import io.facestream.analyze.FaceAnalyzer;
import io.facestream.enroll.EnrollReport;
import io.facestream.enroll.Enroller;
import io.facestream.enroll.IdentityNaming;
import io.facestream.gallery.FaceGallery;
import io.facestream.gallery.Watchlists;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code facestream enroll FOLDER...}: one gallery entry per photo, identity from the folder or the
 * {@code Name_N.jpg} file name; prints a summary and every skipped file with its reason.
 */
@Command(name = "enroll", description = "Enrol folders of photos of known people into a gallery.")
final class EnrollCommand implements Callable<Integer> {
    @Mixin ModelOptionsMixin models = new ModelOptionsMixin();
    @Mixin RedisMixin redis = new RedisMixin();

    @Option(
            names = "--layout",
            defaultValue = "auto",
            description =
                    "Where identities come from: folders (root/person/x.jpg), names (Name_N.jpg) or"
                            + " auto (folders for files in sub-folders, else names). Default: ${DEFAULT-VALUE}.")
    String layout;

    @Option(
            names = "--largest-face",
            description =
                    "Enrol the largest face of photos with several faces instead of skipping them.")
    boolean largestFace;

    @Option(
            names = "--list",
            split = ",",
            paramLabel = "LIST",
            description =
                    "Put every identity enrolled (or already enrolled) from these folders on these"
                            + " watchlists, e.g. --list staff,vip. Names: letters, digits, '_'"
                            + " or '-'.")
    List<String> lists = List.of();

    @Parameters(arity = "1..*", paramLabel = "FOLDER")
    List<Path> folders;

    @Override
    public Integer call() {
        // Checked before any photo is analysed: a bad name must not leave a half-done enrolment.
        java.util.SortedSet<String> onto = Watchlists.requireValidNames(lists);
        try (FaceAnalyzer analyzer = models.openAnalyzer();
                FaceGallery gallery = redis.open()) {
            return run(
                    analyzer,
                    gallery,
                    folders,
                    IdentityNaming.valueOf(layout.toUpperCase()),
                    largestFace,
                    onto);
        }
    }

    static int run(
            FaceAnalyzer analyzer,
            FaceGallery gallery,
            List<Path> folders,
            IdentityNaming naming,
            boolean largestFace) {
        return run(analyzer, gallery, folders, naming, largestFace, java.util.Set.of());
    }

    static int run(
            FaceAnalyzer analyzer,
            FaceGallery gallery,
            List<Path> folders,
            IdentityNaming naming,
            boolean largestFace,
            java.util.Set<String> lists) {
        Enroller enroller = new Enroller(analyzer, gallery, naming, largestFace);
        int skipped = 0;
        for (Path folder : folders) {
            ProgressBar bar = new ProgressBar(System.err, "enrol " + folder.getFileName());
            long t0 = System.nanoTime();
            EnrollReport r = enroller.enroll(folder, bar::update);
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf(
                    java.util.Locale.ROOT,
                    "%s: %d file(s) in %.1f s (%.1f images/s), %d new entr%s, %d already enrolled,"
                            + " %d skipped%n",
                    folder,
                    r.files(),
                    secs,
                    r.files() / Math.max(secs, 1e-9),
                    r.addedTotal(),
                    r.addedTotal() == 1 ? "y" : "ies",
                    r.presentTotal(),
                    r.skipped().size());
            r.added().forEach((id, n) -> System.out.printf("  + %-28s %d%n", id, n));
            r.alreadyPresent()
                    .forEach(
                            (id, n) ->
                                    System.out.printf("  = %-28s %d (already enrolled)%n", id, n));
            for (EnrollReport.Skipped s : r.skipped()) {
                System.out.printf("  skipped %s: %s%n", folder.relativize(s.file()), s.reason());
            }
            skipped += r.skipped().size();
            if (!lists.isEmpty()) {
                java.util.SortedSet<String> people = new java.util.TreeSet<>(r.added().keySet());
                people.addAll(r.alreadyPresent().keySet());
                for (String who : people) {
                    System.out.printf(
                            "  %s is on lists %s%n",
                            GalleryCommand.shown(who), gallery.addToLists(who, lists));
                }
            }
        }
        System.out.printf("gallery '%s' now has %d entries%n", gallery.name(), gallery.count());
        return 0;
    }
}
