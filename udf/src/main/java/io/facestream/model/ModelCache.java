package io.facestream.model;

import java.nio.file.Path;

/**
 * Where {@code facestream models fetch} puts downloaded model files and where {@link ModelResolver}
 * looks for them: the {@code facestream.models.cache} system property, else the {@code
 * FACESTREAM_MODEL_CACHE} environment variable, else {@code $XDG_CACHE_HOME/facestream/models}
 * ({@code ~/.cache/facestream/models} when {@code XDG_CACHE_HOME} is unset).
 */
public final class ModelCache {
    public static final String PROPERTY = "facestream.models.cache";
    public static final String ENV = "FACESTREAM_MODEL_CACHE";

    private ModelCache() {}

    /** The cache folder (it may not exist yet). */
    public static Path dir() {
        String configured = System.getProperty(PROPERTY);
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(ENV);
        }
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base =
                xdg != null && !xdg.isBlank()
                        ? Path.of(xdg)
                        : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("facestream").resolve("models").toAbsolutePath().normalize();
    }
}
