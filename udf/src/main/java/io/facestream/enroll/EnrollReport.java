package io.facestream.enroll;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What an enrolment run did: entries per identity (new ones, and ones already in the gallery from
 * an earlier run of the same photos), and every file skipped with its reason.
 */
public final class EnrollReport {
    /** A file that was not enrolled, and why. */
    public record Skipped(Path file, String reason) {}

    private final SortedMap<String, Integer> added = new TreeMap<>();
    private final SortedMap<String, Integer> alreadyPresent = new TreeMap<>();
    private final List<Skipped> skipped = new ArrayList<>();
    private int files;

    void file() {
        files++;
    }

    void enrolled(String identity, boolean isNew) {
        (isNew ? added : alreadyPresent).merge(identity, 1, Integer::sum);
    }

    void skip(Path file, String reason) {
        skipped.add(new Skipped(file, reason));
    }

    public int files() {
        return files;
    }

    /** New entries per identity. */
    public SortedMap<String, Integer> added() {
        return added;
    }

    /** Entries per identity that an earlier run had already enrolled (re-runs add nothing). */
    public SortedMap<String, Integer> alreadyPresent() {
        return alreadyPresent;
    }

    public List<Skipped> skipped() {
        return skipped;
    }

    public int addedTotal() {
        return added.values().stream().mapToInt(Integer::intValue).sum();
    }

    public int presentTotal() {
        return alreadyPresent.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** One line for logs: the counts. */
    @Override
    public String toString() {
        return files
                + " file(s): "
                + addedTotal()
                + " new entries, "
                + presentTotal()
                + " already enrolled, "
                + skipped.size()
                + " skipped";
    }
}
