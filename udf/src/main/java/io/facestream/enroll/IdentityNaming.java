package io.facestream.enroll;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Where a photo's identity comes from. {@link #FOLDERS}: the folder directly under the enrolment
 * root ({@code root/obama/any.jpg} → {@code obama}). {@link #NAMES}: the file name without its
 * extension and trailing {@code _digits} ({@code lin_manuel_miranda_2.jpg} → {@code
 * lin_manuel_miranda}). {@link #AUTO}: folders for files in a sub-folder, names for files directly
 * in the root.
 */
public enum IdentityNaming {
    AUTO,
    FOLDERS,
    NAMES;

    private static final Pattern TRAILING_NUMBER = Pattern.compile("_\\d+$");

    /** The identity of {@code file} found under {@code root}. */
    public String identityOf(Path root, Path file) {
        Path rel = root.relativize(file);
        boolean inSubfolder = rel.getNameCount() > 1;
        return switch (this) {
            case FOLDERS -> {
                if (!inSubfolder) {
                    throw new IllegalArgumentException(
                            file + " is not in a per-person folder under " + root);
                }
                yield rel.getName(0).toString();
            }
            case NAMES -> fromName(file);
            case AUTO -> inSubfolder ? rel.getName(0).toString() : fromName(file);
        };
    }

    static String fromName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String id = TRAILING_NUMBER.matcher(stem).replaceFirst("");
        return id.isEmpty() ? stem : id;
    }
}
