package io.facestream.cli;

import io.facestream.gallery.FaceGallery;
import io.facestream.gallery.Pseudonym;
import io.facestream.gallery.UnknownRegistry;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code facestream gallery unknowns|promote|forget}: the pseudonyms the job gave unknown people
 * ({@code unknowns.enabled}), kept next to the gallery: list them, remove expired ones, turn one
 * into an enrolled identity, or delete one with all its data.
 */
final class UnknownsCommands {
    private UnknownsCommands() {}

    @Command(
            name = "unknowns",
            description =
                    "Unknown pseudonyms with appearances, cameras and last seen, most recent"
                            + " first; --expire removes the expired ones first.")
    static final class Unknowns implements Callable<Integer> {
        @Mixin RedisMixin redis = new RedisMixin();

        @Option(
                names = "--expire",
                description = "Remove pseudonyms past their retention (unknowns.ttl) first.")
        boolean expire;

        @Override
        public Integer call() {
            try (UnknownRegistry r = redis.unknowns()) {
                if (expire) {
                    List<String> gone = r.expire(System.currentTimeMillis());
                    System.out.printf("%d expired pseudonyms removed%n", gone.size());
                }
                List<Pseudonym> all = r.list();
                System.out.printf(
                        "%-21s %11s %-24s %-24s %7s %s%n",
                        "PSEUDONYM",
                        "APPEARANCES",
                        "FIRST SEEN",
                        "LAST SEEN",
                        "VECTORS",
                        "CAMERAS");
                for (Pseudonym p : all) {
                    System.out.printf(
                            "%-21s %11d %-24s %-24s %7d %s%n",
                            p.id(),
                            p.appearances(),
                            Instant.ofEpochMilli(p.firstSeenMillis()),
                            Instant.ofEpochMilli(p.lastSeenMillis()),
                            p.vectors(),
                            p.cameras().entrySet().stream()
                                    .map(e -> GalleryCommand.shown(e.getKey()) + ":" + e.getValue())
                                    .collect(Collectors.joining(",")));
                }
                System.out.printf("%d unknown pseudonyms%n", all.size());
                return 0;
            }
        }
    }

    @Command(
            name = "promote",
            description =
                    "Enrol an unknown pseudonym as a named identity (its templates become gallery"
                            + " entries) and delete the pseudonym.")
    static final class Promote implements Callable<Integer> {
        @Mixin RedisMixin redis = new RedisMixin();

        @Parameters(index = "0", paramLabel = "PSEUDONYM")
        String pseudonym;

        @Option(names = "--name", required = true, paramLabel = "IDENTITY")
        String name;

        @Override
        public Integer call() {
            try (UnknownRegistry r = redis.unknowns();
                    FaceGallery g = redis.open()) {
                int n = r.promote(pseudonym, name, g, System.currentTimeMillis());
                System.out.printf(
                        "%s enrolled as %s in gallery '%s' (%d entr%s); pseudonym deleted%n",
                        pseudonym, GalleryCommand.shown(name), g.name(), n, n == 1 ? "y" : "ies");
                return 0;
            }
        }
    }

    @Command(name = "forget", description = "Delete unknown pseudonyms and all their data.")
    static final class Forget implements Callable<Integer> {
        @Mixin RedisMixin redis = new RedisMixin();

        @Parameters(arity = "0..*", paramLabel = "PSEUDONYM")
        List<String> pseudonyms = List.of();

        @Option(names = "--all", description = "Every pseudonym of the gallery.")
        boolean all;

        @Override
        public Integer call() {
            if (all == !pseudonyms.isEmpty()) {
                System.err.println("name pseudonyms or give --all (not both)");
                return 2;
            }
            try (UnknownRegistry r = redis.unknowns()) {
                if (all) {
                    System.out.printf("%d pseudonyms forgotten%n", r.forgetAll().size());
                    return 0;
                }
                int missing = 0;
                for (String p : pseudonyms) {
                    boolean gone = r.forget(p);
                    System.out.printf("%s: %s%n", p, gone ? "forgotten" : "no such pseudonym");
                    missing += gone ? 0 : 1;
                }
                return missing > 0 ? 1 : 0;
            }
        }
    }
}
