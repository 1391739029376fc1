package io.facestream.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Expands command-line inputs: files as given, folders into their regular files (sorted,
 * recursive), and {@code @LIST} into the paths listed in the file LIST: one path per line, blank
 * lines and lines starting with {@code #} ignored, a relative path resolved against the folder
 * holding LIST (not the working directory, so a list travels with its photos). A listed path is not
 * expanded again as {@code @LIST}; name a file that really starts with {@code @} as {@code
 * ./@name}. Nothing here limits the number of inputs: the list is read into memory, one path a
 * line.
 */
final class Inputs {
    private Inputs() {}

    static List<Path> expand(List<Path> inputs) {
        List<Path> out = new ArrayList<>();
        for (Path p : expandLists(inputs)) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    s.filter(Files::isRegularFile).sorted().forEach(out::add);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot list " + p, e);
                }
            } else {
                out.add(p);
            }
        }
        return out;
    }

    /** Replaces each {@code @LIST} by the paths it lists; files and folders stay as given. */
    static List<Path> expandLists(List<Path> inputs) {
        List<Path> out = new ArrayList<>();
        for (Path p : inputs) {
            String s = p.toString();
            if (s.length() > 1 && s.startsWith("@")) {
                out.addAll(readList(Path.of(s.substring(1))));
            } else {
                out.add(p);
            }
        }
        return out;
    }

    static List<Path> readList(Path list) {
        List<String> lines;
        try {
            lines = Files.readAllLines(list, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the list file " + list + ": " + e, e);
        }
        Path base = list.toAbsolutePath().getParent();
        List<Path> out = new ArrayList<>(lines.size());
        for (String line : lines) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            Path p = Path.of(l);
            out.add(p.isAbsolute() ? p : base.resolve(p).normalize());
        }
        return out;
    }

    /** {@code dir/name.jpg} → {@code name.jpg} with the given extension. */
    static String outputName(Path file, String ext) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return (dot > 0 ? name.substring(0, dot) : name) + "." + ext;
    }
}
