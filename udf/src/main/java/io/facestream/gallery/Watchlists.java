package io.facestream.gallery;

import java.util.Collection;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Watchlist names and the vector-set {@code FILTER} expression that restricts a search to members
 * of some lists.
 *
 * <p>A list name is 1-64 characters of {@code A-Z a-z 0-9 _ -}, starting with a letter or digit.
 * Every name is checked against that set before it is stored or put into an expression, so a name
 * can never carry a quote, a backslash, a space or an operator into a {@code FILTER}: the
 * expression is built only from checked names, each inside double quotes. Names are case-sensitive.
 */
public final class Watchlists {
    /** The allowed list names, as a regular expression (also shown in error messages). */
    public static final String NAME_PATTERN = "[A-Za-z0-9][A-Za-z0-9_-]{0,63}";

    private static final Pattern NAME = Pattern.compile(NAME_PATTERN);

    /** The entry attribute holding an entry's lists (a JSON array of names). */
    public static final String ATTRIBUTE = "lists";

    private Watchlists() {}

    /** {@code name} when it is a usable list name; else a {@link GalleryException} saying why. */
    public static String requireValidName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new GalleryException(
                    "watchlist name '"
                            + name
                            + "' is not usable: 1-64 letters, digits, '_' or '-', starting with a"
                            + " letter or digit (no spaces, quotes or operators)");
        }
        return name;
    }

    /** The checked names, sorted and without duplicates. */
    public static SortedSet<String> requireValidNames(Collection<String> names) {
        SortedSet<String> out = new TreeSet<>();
        for (String n : names) {
            out.add(requireValidName(n));
        }
        return out;
    }

    /** Comma-separated names (blanks around commas ignored), checked; empty text gives none. */
    public static SortedSet<String> parse(String commaSeparated) {
        SortedSet<String> out = new TreeSet<>();
        if (commaSeparated == null || commaSeparated.isBlank()) {
            return out;
        }
        for (String part : commaSeparated.split(",", -1)) {
            out.add(requireValidName(part.strip()));
        }
        return out;
    }

    /**
     * A {@code VSIM ... FILTER} expression true for entries on at least one of {@code lists}, e.g.
     * {@code "staff" in .lists or "vip" in .lists}.
     *
     * @throws GalleryException when {@code lists} is empty or a name is not usable
     */
    public static String filterAnyOf(Collection<String> lists) {
        SortedSet<String> names = requireValidNames(lists);
        if (names.isEmpty()) {
            throw new GalleryException("a watchlist filter needs at least one list");
        }
        StringBuilder b = new StringBuilder();
        for (String n : names) {
            if (b.length() > 0) {
                b.append(" or ");
            }
            b.append('"').append(n).append("\" in .").append(ATTRIBUTE);
        }
        return b.toString();
    }

    /** The names in both, sorted; every name of {@code own} when {@code allowed} is null (all). */
    public static List<String> intersect(Collection<String> own, Collection<String> allowed) {
        TreeSet<String> out = new TreeSet<>(own);
        if (allowed != null) {
            out.retainAll(allowed);
        }
        return List.copyOf(out);
    }
}
