package io.facestream.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The list of known models, read from {@code manifest.json}. The copy bundled in the jar is the
 * default; a file can be loaded instead to add models without a rebuild.
 */
public final class ModelManifest {
    private static final String RESOURCE = "/io/facestream/model/manifest.json";

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Document(Map<String, String> defaults, List<ModelSpec> models) {}

    private final Map<String, ModelSpec> byId;
    private final Map<String, String> defaults;

    private ModelManifest(Document doc) {
        this.byId =
                doc.models().stream()
                        .collect(
                                Collectors.toMap(
                                        ModelSpec::id,
                                        m -> m,
                                        (a, b) -> {
                                            throw new IllegalStateException(
                                                    "duplicate model id " + a.id());
                                        },
                                        java.util.LinkedHashMap::new));
        this.defaults = doc.defaults();
    }

    /** The manifest bundled with facestream. */
    public static ModelManifest bundled() {
        try (InputStream in = ModelManifest.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new ModelException("model manifest " + RESOURCE + " is missing from the jar");
            }
            return new ModelManifest(mapper().readValue(in, Document.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled model manifest", e);
        }
    }

    /** A manifest from a file. */
    public static ModelManifest load(Path file) {
        try {
            return new ModelManifest(mapper().readValue(Files.readAllBytes(file), Document.class));
        } catch (IOException e) {
            throw new ModelException(
                    "cannot read model manifest " + file + ": " + e.getMessage(), e);
        }
    }

    private static ObjectMapper mapper() {
        return new ObjectMapper()
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    /** Every model, in manifest order. */
    public List<ModelSpec> models() {
        return List.copyOf(byId.values());
    }

    /** The model with this id, or a {@link ModelException} listing the known ids. */
    public ModelSpec get(String id) {
        ModelSpec spec = byId.get(id);
        if (spec == null) {
            throw new ModelException(
                    "unknown model '"
                            + id
                            + "'; known models: "
                            + String.join(", ", byId.keySet()));
        }
        return spec;
    }

    /** The default detector: one with a licence that allows commercial use. */
    public ModelSpec defaultDetector() {
        return get(defaults.get("detector"));
    }

    /** The default embedder. */
    public ModelSpec defaultEmbedder() {
        return get(defaults.get("embedder"));
    }
}
