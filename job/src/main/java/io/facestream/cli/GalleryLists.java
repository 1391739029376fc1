package io.facestream.cli;

import io.facestream.gallery.FaceGallery;
import io.facestream.gallery.Watchlists;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code facestream gallery lists | list-add | list-remove}: watchlists, changed without
 * re-enrolling. A running job sees a change within {@code gallery.refresh-interval}.
 */
final class GalleryLists {
    private GalleryLists() {}

    @Command(name = "lists", description = "Every watchlist with its members.")
    static final class Lists implements Callable<Integer> {
        @Mixin RedisMixin redis = new RedisMixin();

        @Override
        public Integer call() {
            try (FaceGallery g = redis.open()) {
                SortedMap<String, SortedSet<String>> byList = new TreeMap<>();
                for (Map.Entry<String, SortedSet<String>> e : g.watchlists().entrySet()) {
                    for (String list : e.getValue()) {
                        byList.computeIfAbsent(list, k -> new TreeSet<>()).add(e.getKey());
                    }
                }
                if (byList.isEmpty()) {
                    System.out.printf("gallery '%s' has no watchlists%n", g.name());
                }
                byList.forEach(
                        (list, members) -> {
                            System.out.printf("%s (%d)%n", list, members.size());
                            members.forEach(
                                    m -> System.out.printf("  %s%n", GalleryCommand.shown(m)));
                        });
                return 0;
            }
        }
    }

    @Command(
            name = "list-add",
            description =
                    "Put an identity on watchlists (comma-separated), e.g. list-add Ross vip.")
    static final class ListAdd implements Callable<Integer> {
        @Mixin RedisMixin redis = new RedisMixin();

        @Parameters(index = "0", paramLabel = "IDENTITY")
        String identity;

        @Parameters(index = "1", paramLabel = "LIST[,LIST...]")
        String lists;

        @Override
        public Integer call() {
            List<String> names = List.copyOf(Watchlists.parse(lists));
            try (FaceGallery g = redis.open()) {
                System.out.printf(
                        "%s is on lists %s%n",
                        GalleryCommand.shown(identity), g.addToLists(identity, names));
                return 0;
            }
        }
    }

    @Command(name = "list-remove", description = "Take an identity off watchlists.")
    static final class ListRemove implements Callable<Integer> {
        @Mixin RedisMixin redis = new RedisMixin();

        @Parameters(index = "0", paramLabel = "IDENTITY")
        String identity;

        @Parameters(index = "1", paramLabel = "LIST[,LIST...]")
        String lists;

        @Override
        public Integer call() {
            List<String> names = List.copyOf(Watchlists.parse(lists));
            try (FaceGallery g = redis.open()) {
                System.out.printf(
                        "%s is on lists %s%n",
                        GalleryCommand.shown(identity), g.removeFromLists(identity, names));
                return 0;
            }
        }
    }
}
