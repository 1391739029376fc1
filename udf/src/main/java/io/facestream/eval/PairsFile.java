package io.facestream.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A verification pairs file. One pair per line, in either of two forms (blank lines and lines
 * starting with {@code #} are skipped):
 *
 * <ul>
 *   <li>{@code IMAGE_A IMAGE_B LABEL}, LABEL one of {@code same}/{@code different} ({@code 1}/
 *       {@code 0}, {@code true}/{@code false}); paths relative to {@code imageRoot}; fields split
 *       on tabs when the line has any (paths with spaces), else on whitespace;
 *   <li>LFW's {@code pairs.txt}: {@code NAME N M} (same person, images N and M) or {@code NAME1 N
 *       NAME2 M} (different people), image {@code imageRoot/NAME/NAME_%04d.jpg}; LFW's header line
 *       ({@code folds pairs}) is skipped.
 * </ul>
 */
public final class PairsFile {
    /** One pair; {@code line} is 1-based. */
    public record Pair(int line, Path a, Path b, boolean same) {}

    private static final Set<String> SAME = Set.of("same", "1", "true", "genuine");
    private static final Set<String> DIFFERENT = Set.of("different", "0", "false", "impostor");

    private PairsFile() {}

    /**
     * @param notes receives one line per line that is not a pair
     */
    public static List<Pair> read(Path file, Path imageRoot, List<String> notes)
            throws IOException {
        List<String> lines = Files.readAllLines(file);
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.contains("\t") ? line.split("\t") : line.split("\\s+");
            Pair p = parse(i + 1, f, imageRoot);
            if (p != null) {
                pairs.add(p);
            } else if (!(i == 0 && f.length == 2 && isInt(f[0]) && isInt(f[1]))) {
                notes.add(file.getFileName() + " line " + (i + 1) + ": not a pair, skipped");
            }
        }
        return pairs;
    }

    private static Pair parse(int line, String[] f, Path root) {
        if (f.length == 3) {
            String label = f[2].toLowerCase(Locale.ROOT);
            if (SAME.contains(label) || DIFFERENT.contains(label)) {
                return new Pair(line, root.resolve(f[0]), root.resolve(f[1]), SAME.contains(label));
            }
            if (isInt(f[1]) && isInt(f[2])) {
                return new Pair(line, lfw(root, f[0], f[1]), lfw(root, f[0], f[2]), true);
            }
        }
        if (f.length == 4 && isInt(f[1]) && isInt(f[3])) {
            return new Pair(line, lfw(root, f[0], f[1]), lfw(root, f[2], f[3]), false);
        }
        return null;
    }

    private static Path lfw(Path root, String name, String n) {
        return root.resolve(name)
                .resolve(String.format(Locale.ROOT, "%s_%04d.jpg", name, Integer.parseInt(n)));
    }

    private static boolean isInt(String s) {
        return s.matches("\\d{1,9}");
    }
}
