package io.facestream.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Expands command-line inputs: files as given, folders into their regular files (sorted,
 * recursive).
 */
final class Inputs {
    private Inputs() {}

    static List<Path> expand(List<Path> inputs) {
        List<Path> out = new ArrayList<>();
        for (Path p : inputs) {
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

    /** {@code dir/name.jpg} → {@code name.jpg} with the given extension. */
    static String outputName(Path file, String ext) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return (dot > 0 ? name.substring(0, dot) : name) + "." + ext;
    }
}
