package io.facestream.cli;

import io.facestream.gallery.FaceGallery;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code facestream gallery list|delete|lists|list-add|list-remove|rebuild-templates|drop}: inspect
 * and edit a gallery, its watchlists and its identity templates; {@code unknowns|promote|forget}:
 * its unknown pseudonyms ({@link UnknownsCommands}).
 */
@Command(
        name = "gallery",
        description = "Inspect and edit a gallery.",
        subcommands = {
            GalleryCommand.List.class,
            GalleryCommand.Delete.class,
            GalleryLists.Lists.class,
            GalleryLists.ListAdd.class,
            GalleryLists.ListRemove.class,
            GalleryCommand.RebuildTemplates.class,
            GalleryCommand.Drop.class,
            UnknownsCommands.Unknowns.class,
            UnknownsCommands.Promote.class,
            UnknownsCommands.Forget.class
        })
final class GalleryCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /**
     * An identity as the terminal shows it: backslash, line breaks, tabs and other control or
     * invisible format characters escaped Java-style. Names come from folder names and may hold
     * anything; printed raw, a newline would fake a table row and an ESC sequence would drive the
     * terminal. Machine-readable outputs (JSON, Avro, CSV) keep the exact name.
     */
    static String shown(String identity) {
        StringBuilder b = new StringBuilder(identity.length());
        identity.codePoints()
                .forEach(
                        cp -> {
                            switch (cp) {
                                case '\\' -> b.append("\\\\");
                                case '\n' -> b.append("\\n");
                                case '\r' -> b.append("\\r");
                                case '\t' -> b.append("\\t");
                                default -> {
                                    int type = Character.getType(cp);
                                    if (type == Character.CONTROL
                                            || type == Character.FORMAT
                                            || type == Character.LINE_SEPARATOR
                                            || type == Character.PARAGRAPH_SEPARATOR) {
                                        b.append(String.format("\\u%04x", cp));
                                    } else {
                                        b.appendCodePoint(cp);
                                    }
                                }
                            }
                        });
        return b.toString();
    }

    @Command(
            name = "list",
            description = "Identities with their entry counts, and the gallery's model.")
    static final class List implements Callable<Integer> {
        @Mixin RedisMixin redis = new RedisMixin();

        @Override
        public Integer call() {
            try (FaceGallery g = redis.open()) {
                if (!g.exists()) {
                    System.out.printf("gallery '%s' does not exist (nothing enrolled)%n", g.name());
                    return 1;
                }
                var info = g.info();
                System.out.printf("gallery '%s': %s%n", g.name(), info);
                System.out.printf("%-30s %s%n", "IDENTITY", "ENTRIES");
                for (Map.Entry<String, Long> e : g.identities().entrySet()) {
                    System.out.printf("%-30s %d%n", shown(e.getKey()), e.getValue());
                }
                System.out.printf("%d identities, %d entries%n", g.identities().size(), g.count());
                return 0;
            }
        }
    }

    @Command(name = "delete", description = "Delete every entry of an identity.")
    static final class Delete implements Callable<Integer> {
        @Mixin RedisMixin redis = new RedisMixin();

        @Parameters(arity = "1..*", paramLabel = "IDENTITY")
        java.util.List<String> identities;

        @Override
        public Integer call() {
            try (FaceGallery g = redis.open()) {
                int missing = 0;
                for (String id : identities) {
                    int n = g.deleteIdentity(id);
                    System.out.printf(
                            "%s: %d entr%s deleted%n", shown(id), n, n == 1 ? "y" : "ies");
                    missing += n == 0 ? 1 : 0;
                }
                return missing > 0 ? 1 : 0;
            }
        }
    }

    /**
     * Recomputes every identity template from the entries. Never needed for galleries written by
     * facestream (templates follow every write; one enrolled before templates existed gets them on
     * its first template search or write), but it makes that one-time build explicit, and repairs
     * templates after entries were written by other means.
     */
    @Command(
            name = "rebuild-templates",
            description =
                    "Recompute every identity's template (match.decision=template) from its"
                            + " entries.")
    static final class RebuildTemplates implements Callable<Integer> {
        @Mixin RedisMixin redis = new RedisMixin();

        @Override
        public Integer call() {
            try (FaceGallery g = redis.open()) {
                if (!g.exists()) {
                    System.out.printf("gallery '%s' does not exist (nothing enrolled)%n", g.name());
                    return 1;
                }
                if (!g.supportsTemplates()) {
                    System.out.printf(
                            "gallery '%s' is stored with the Query Engine, which keeps no"
                                    + " templates: match.decision=template uses top-k there%n",
                            g.name());
                    return 1;
                }
                int n = g.rebuildTemplates();
                System.out.printf("gallery '%s': %d identity templates rebuilt%n", g.name(), n);
                return 0;
            }
        }
    }

    @Command(name = "drop", description = "Delete the whole gallery.")
    static final class Drop implements Callable<Integer> {
        @Mixin RedisMixin redis = new RedisMixin();

        @Override
        public Integer call() {
            try (FaceGallery g = redis.open()) {
                boolean existed = g.drop();
                System.out.printf(
                        "gallery '%s' %s%n", g.name(), existed ? "dropped" : "did not exist");
                return 0;
            }
        }
    }
}
