package io.facestream.gallery;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a face is compared with before {@link IdentityDecider} decides ({@value #KEY}): the one
 * place where {@code identify}, {@code eval} and the streaming job's lookup choose between the two.
 *
 * <ul>
 *   <li>{@link #TEMPLATE} (the default): each identity's template, the re-normalised mean of its
 *       L2-normalised entries, kept by the gallery (see {@link FaceGallery#searchTemplates}); the
 *       top-k are the k nearest identities, each scored by the cosine with its template. Measured
 *       in {@code docs/accuracy.md}: a wider gap between the lowest genuine and the highest
 *       impostor score than the best entry in 11 of 12 runs, with no loss of rank-1. A store
 *       without templates (the Query Engine backend) falls back to {@link #TOP_K}, logged once.
 *   <li>{@link #TOP_K}: the k nearest entries, an identity scored by its best entry among them and
 *       ties broken by a vote (the behaviour before templates).
 * </ul>
 */
public enum MatchDecision {
    TEMPLATE("template"),
    TOP_K("top-k");

    public static final String KEY = "match.decision";
    public static final MatchDecision DEFAULT = TEMPLATE;

    private static final Logger LOG = LoggerFactory.getLogger(MatchDecision.class);
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private final String configValue;

    MatchDecision(String configValue) {
        this.configValue = configValue;
    }

    public String configValue() {
        return configValue;
    }

    /** Parses {@code template | top-k} (case and surrounding blanks ignored). */
    public static MatchDecision fromConfig(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        for (MatchDecision d : values()) {
            if (d.configValue.equals(v)) {
                return d;
            }
        }
        throw new GalleryException(KEY + " = '" + value + "' is not one of: template | top-k");
    }

    /**
     * The matches {@link IdentityDecider} decides on for one face: {@link
     * FaceGallery#searchTemplates} or {@link FaceGallery#search}, most similar first.
     */
    public List<Match> search(
            FaceGallery gallery, String embedderModel, float[] vector, int k, String filter) {
        if (this == TEMPLATE) {
            if (gallery.supportsTemplates()) {
                return gallery.searchTemplates(embedderModel, vector, k, filter);
            }
            if (WARNED.compareAndSet(false, true)) {
                LOG.warn(
                        "gallery '{}' keeps no identity templates (its backend has none):"
                                + " {}=template falls back to top-k",
                        gallery.name(),
                        KEY);
            }
        }
        return gallery.search(embedderModel, vector, k, filter);
    }
}
