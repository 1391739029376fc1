package io.facestream.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeSet;

/**
 * Splits a labelled set into a gallery and probes, reproducibly for a given seed. Strangers (named,
 * or drawn at random) are held out entirely: all their photos are probes that should come back
 * UNKNOWN. Every other person has {@code enrolPerPerson} photos (drawn at random) enrolled and the
 * rest probed; a person with too few photos keeps at least one probe when they have two, and one
 * with a single photo is enrolled without a probe. Such shortfalls are listed in {@link #notes}.
 *
 * @param <T> a labelled sample
 */
public final class EvalSplit<T> {
    /** A probe and who it is. */
    public record Labelled<T>(String identity, T sample) {}

    private final Map<String, List<T>> gallery = new LinkedHashMap<>();
    private final List<Labelled<T>> probes = new ArrayList<>();
    private final List<Labelled<T>> strangerProbes = new ArrayList<>();
    private final List<String> strangers;
    private final List<String> notes = new ArrayList<>();

    private EvalSplit(List<String> strangers) {
        this.strangers = strangers;
    }

    /**
     * @param byIdentity usable samples per person, in a stable order
     * @param enrolPerPerson photos enrolled per person, at least 1
     * @param strangerNames people to hold out; when empty, {@code strangerCount} are drawn
     * @param seed seeds every random choice
     */
    public static <T> EvalSplit<T> of(
            SortedMap<String, List<T>> byIdentity,
            int enrolPerPerson,
            List<String> strangerNames,
            int strangerCount,
            long seed) {
        if (enrolPerPerson < 1) {
            throw new IllegalArgumentException(
                    "enrol per person must be >= 1, was " + enrolPerPerson);
        }
        Random random = new Random(seed);
        List<String> people = new ArrayList<>(byIdentity.keySet());
        List<String> held;
        if (!strangerNames.isEmpty()) {
            for (String s : strangerNames) {
                if (!byIdentity.containsKey(s)) {
                    throw new IllegalArgumentException(
                            "stranger '" + s + "' has no usable photo; people: " + people);
                }
            }
            held = List.copyOf(new TreeSet<>(strangerNames));
        } else {
            if (strangerCount < 0 || strangerCount >= people.size()) {
                throw new IllegalArgumentException(
                        "cannot hold out "
                                + strangerCount
                                + " stranger(s) of "
                                + people.size()
                                + " people: at least one must be enrolled");
            }
            List<String> shuffled = new ArrayList<>(people);
            Collections.shuffle(shuffled, random);
            held = List.copyOf(new TreeSet<>(shuffled.subList(0, strangerCount)));
        }
        EvalSplit<T> split = new EvalSplit<>(held);
        for (String person : people) {
            List<T> samples = new ArrayList<>(byIdentity.get(person));
            if (held.contains(person)) {
                samples.forEach(s -> split.strangerProbes.add(new Labelled<>(person, s)));
                continue;
            }
            Collections.shuffle(samples, random);
            int enrol = samples.size() == 1 ? 1 : Math.min(enrolPerPerson, samples.size() - 1);
            if (samples.size() == 1) {
                split.notes.add(person + ": only 1 usable photo: enrolled, not probed");
            } else if (enrol < enrolPerPerson) {
                split.notes.add(
                        person
                                + ": only "
                                + samples.size()
                                + " usable photos: "
                                + enrol
                                + " enrolled, 1 probed");
            }
            split.gallery.put(person, List.copyOf(samples.subList(0, enrol)));
            samples.subList(enrol, samples.size())
                    .forEach(s -> split.probes.add(new Labelled<>(person, s)));
        }
        return split;
    }

    /** Enrolled samples per person. */
    public Map<String, List<T>> gallery() {
        return Collections.unmodifiableMap(gallery);
    }

    /** Probes of enrolled people. */
    public List<Labelled<T>> probes() {
        return Collections.unmodifiableList(probes);
    }

    /** Probes of held-out people. */
    public List<Labelled<T>> strangerProbes() {
        return Collections.unmodifiableList(strangerProbes);
    }

    public List<String> strangers() {
        return strangers;
    }

    public List<String> notes() {
        return Collections.unmodifiableList(notes);
    }
}
