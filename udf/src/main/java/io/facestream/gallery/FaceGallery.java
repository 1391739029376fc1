package io.facestream.gallery;

import java.util.Collection;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * A named set of enrolled faces that answers "who is nearest to this embedding".
 *
 * <p>Contract shared by every store:
 *
 * <ul>
 *   <li>Similarity is the cosine of the embeddings, in [-1, 1], higher = more alike, whatever the
 *       store reports natively.
 *   <li>The gallery is created by the first {@link #add} and remembers that entry's embedder model
 *       and dimension; adding or searching with another model or dimension throws {@link
 *       GalleryException} naming both, because mixing vector spaces silently breaks matching.
 *   <li>An entry id identifies an entry: adding an id that is present replaces that entry.
 *   <li>Every failure (unreachable store, refused credentials, a key of the wrong type) is a {@link
 *       GalleryException} with a message that says what to do.
 * </ul>
 *
 * <p>Instances are thread-safe when their Redis client is (a pooled client is). {@link #close}
 * closes the client only when the gallery opened it itself.
 */
public interface FaceGallery extends AutoCloseable {

    String name();

    /** What the gallery was created with; throws when it does not exist (nothing enrolled yet). */
    GalleryInfo info();

    boolean exists();

    /**
     * Adds entries, all of one embedder model and dimension, creating the gallery if needed.
     *
     * @return how many of them were new (ids already present are replaced, not counted)
     */
    int add(List<GalleryEntry> entries);

    /** The {@code k} entries nearest to {@code vector}, most similar first. */
    default List<Match> search(String embedderModel, float[] vector, int k) {
        return search(embedderModel, vector, k, null);
    }

    /**
     * The {@code k} entries nearest to {@code vector} among those passing {@code filter}, most
     * similar first.
     *
     * @param embedderModel the model that produced {@code vector}; must be the gallery's
     * @param filter null for none, else in the store's own syntax over the entry attributes {@code
     *     identity}, {@code model}, {@code source}, {@code enrolled}: a vector-set {@code FILTER}
     *     expression such as {@code .identity == "ross"}, or a Query Engine query such as
     *     {@code @identity:{ross}}
     */
    List<Match> search(String embedderModel, float[] vector, int k, String filter);

    /**
     * Whether this store keeps one template per identity (the re-normalised mean of the identity's
     * L2-normalised entries), so {@link #searchTemplates} works.
     */
    default boolean supportsTemplates() {
        return false;
    }

    /**
     * The {@code k} identities whose templates are nearest to {@code vector} among those passing
     * {@code filter}, most similar first: one {@link Match} per identity, its entry id and identity
     * the identity's name, its similarity the cosine with the template, its source {@code "template
     * of N entries"} ("of 1 entry"). A template carries its identity's {@code identity}, {@code
     * model} and {@code lists} attributes, so the filters of {@link #search} restrict it the same
     * way.
     *
     * @throws GalleryException when the store keeps no templates ({@link #supportsTemplates})
     */
    default List<Match> searchTemplates(
            String embedderModel, float[] vector, int k, String filter) {
        throw new GalleryException(
                "gallery '" + name() + "' keeps no identity templates (use match.decision=top-k)");
    }

    /**
     * Recomputes every identity's template from its entries and drops templates of identities
     * without entries; the gallery is then marked as keeping templates.
     *
     * @return how many templates the gallery holds now
     */
    default int rebuildTemplates() {
        throw new GalleryException("gallery '" + name() + "' keeps no identity templates");
    }

    /** Every identity with its number of entries, by name. */
    SortedMap<String, Long> identities();

    /**
     * Removes every entry of {@code identity}.
     *
     * @return how many entries were removed (0 when the identity is unknown)
     */
    int deleteIdentity(String identity);

    /**
     * Identity to its watchlists, for every identity on at least one list. Lists are kept per
     * identity and copied into each of its entries' attributes ({@code lists}), which {@code VSIM
     * ... FILTER} selects on (see {@link Watchlists#filterAnyOf}).
     */
    SortedMap<String, SortedSet<String>> watchlists();

    /**
     * Puts {@code identity} on {@code lists} as well (names checked by {@link Watchlists}), without
     * re-enrolling: every entry of the identity is updated. Entries enrolled later get the lists
     * too.
     *
     * @return the identity's lists now
     * @throws GalleryException when the identity has no entries, or a name is not usable
     */
    SortedSet<String> addToLists(String identity, Collection<String> lists);

    /**
     * Takes {@code identity} off {@code lists}.
     *
     * @return the identity's lists now
     */
    SortedSet<String> removeFromLists(String identity, Collection<String> lists);

    /**
     * A counter that changes with every write to the gallery (add, delete, list change, drop), for
     * readers that cache what the gallery holds; 0 before the first write.
     */
    long version();

    /** Number of entries. */
    long count();

    /**
     * Removes the gallery, its entries and what it was created with.
     *
     * @return whether there was a gallery to drop
     */
    boolean drop();

    @Override
    void close();
}
