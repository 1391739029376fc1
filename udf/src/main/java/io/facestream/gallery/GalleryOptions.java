package io.facestream.gallery;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How a gallery is opened: which store implementation, and how a new gallery quantises vectors.
 *
 * <p>Config keys: {@value #BACKEND_KEY} ({@code auto | vectorset | query-engine}, default {@code
 * auto}: an existing gallery keeps its backend, else vector sets when the server has {@code VADD},
 * else the Query Engine when it has {@code FT.SEARCH}) and {@value #QUANTIZATION_KEY} ({@code
 * noquant | q8}, default {@code noquant}; it applies when a gallery is created, later opens use
 * what the gallery was created with).
 */
public record GalleryOptions(Backend backend, Quantization quantization)
        implements java.io.Serializable {
    public static final String BACKEND_KEY = "gallery.backend";
    public static final String QUANTIZATION_KEY = "gallery.quantization";

    /** The store implementation. */
    public enum Backend {
        AUTO("auto"),
        VECTOR_SET("vectorset"),
        QUERY_ENGINE("query-engine");

        private final String configValue;

        Backend(String configValue) {
            this.configValue = configValue;
        }

        public String configValue() {
            return configValue;
        }

        public static Backend fromConfig(String value) {
            return parse(values(), value, BACKEND_KEY);
        }
    }

    /**
     * How vector sets store vectors: {@code NOQUANT} keeps float32 (exact cosine), {@code Q8} int8
     * (4x less memory, cosine within about 0.01). The Query Engine always stores float32.
     */
    public enum Quantization {
        NOQUANT("noquant"),
        Q8("q8");

        private final String configValue;

        Quantization(String configValue) {
            this.configValue = configValue;
        }

        public String configValue() {
            return configValue;
        }

        public static Quantization fromConfig(String value) {
            return parse(values(), value, QUANTIZATION_KEY);
        }
    }

    public GalleryOptions {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(quantization, "quantization");
    }

    public static GalleryOptions defaults() {
        return new GalleryOptions(Backend.AUTO, Quantization.NOQUANT);
    }

    /** Reads {@value #BACKEND_KEY} and {@value #QUANTIZATION_KEY}; absent keys take defaults. */
    public static GalleryOptions fromConfig(Map<String, String> config) {
        return new GalleryOptions(
                Backend.fromConfig(config.getOrDefault(BACKEND_KEY, "auto")),
                Quantization.fromConfig(config.getOrDefault(QUANTIZATION_KEY, "noquant")));
    }

    public GalleryOptions withBackend(Backend newBackend) {
        return new GalleryOptions(newBackend, quantization);
    }

    public GalleryOptions withQuantization(Quantization newQuantization) {
        return new GalleryOptions(backend, newQuantization);
    }

    private static <E extends Enum<E>> E parse(E[] values, String value, String key) {
        StringBuilder allowed = new StringBuilder();
        for (E e : values) {
            String configValue =
                    e instanceof Backend b ? b.configValue() : ((Quantization) e).configValue();
            if (configValue.equals(value.trim().toLowerCase(Locale.ROOT))) {
                return e;
            }
            allowed.append(allowed.isEmpty() ? "" : " | ").append(configValue);
        }
        throw new GalleryException(key + " = '" + value + "' is not one of: " + allowed);
    }
}
