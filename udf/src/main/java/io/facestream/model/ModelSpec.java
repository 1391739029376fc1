package io.facestream.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * One entry of the model manifest ({@code models/manifest.json}): which file, how to check it, how
 * to feed it and how to read its outputs.
 *
 * <p>Pixel normalisation is {@code (pixel - mean[c]) / std[c]} per channel, with channels in {@link
 * InputSpec#channelOrder()} order. A dimension of {@code -1} in a shape is dynamic.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelSpec(
        String id,
        String file,
        String sha256,
        Kind kind,
        String family,
        String sameVectorsAs,
        InputSpec input,
        List<OutputSpec> outputs,
        int embeddingDim,
        Map<String, Double> thresholds,
        String licence,
        boolean commercialUse,
        String source,
        String optimization,
        Download download)
        implements Serializable {

    /** An entry without download information (tests and hand-made manifests). */
    public ModelSpec(
            String id,
            String file,
            String sha256,
            Kind kind,
            String family,
            String sameVectorsAs,
            InputSpec input,
            List<OutputSpec> outputs,
            int embeddingDim,
            Map<String, Double> thresholds,
            String licence,
            boolean commercialUse,
            String source,
            String optimization) {
        this(
                id,
                file,
                sha256,
                kind,
                family,
                sameVectorsAs,
                input,
                outputs,
                embeddingDim,
                thresholds,
                licence,
                commercialUse,
                source,
                optimization,
                null);
    }

    /**
     * Where the file can be downloaded: {@code url} is the upstream file at a pinned commit or
     * version; when {@code archiveEntry} is set, the URL is a {@code .tgz} and the model is that
     * entry of it. A model with {@code derivedFrom} (another model's id) and no {@code url} is
     * built from that model's file: an embedder by {@link DynamicBatch}, a detector by {@link
     * DynamicImageSize}; without either it is only available from a mirror.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Download(String url, String archiveEntry, String derivedFrom)
            implements Serializable {
        public Download(String url, String archiveEntry) {
            this(url, archiveEntry, null);
        }
    }

    /** The id of the model this one is derived from ({@link ModelFetcher#derive}), or null. */
    public String derivedFrom() {
        return download == null ? null : download.derivedFrom();
    }

    /** This model's upstream download URL, or null when it has none (a derived file). */
    public String downloadUrl() {
        return download == null ? null : download.url();
    }

    /** What a model does. */
    public enum Kind {
        @com.fasterxml.jackson.annotation.JsonProperty("detector")
        DETECTOR,
        @com.fasterxml.jackson.annotation.JsonProperty("embedder")
        EMBEDDER
    }

    /** The single image input of a model. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record InputSpec(
            String name,
            String layout,
            long[] shape,
            int width,
            int height,
            String resize,
            String channelOrder,
            float[] mean,
            float[] std)
            implements Serializable {

        /** True when the model wants RGB planes; false for BGR (OpenCV's native order). */
        public boolean rgb() {
            return "RGB".equalsIgnoreCase(channelOrder);
        }
    }

    /** One named output tensor; {@code role} is optional decoder metadata. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record OutputSpec(String name, long[] shape, String role) implements Serializable {}

    /**
     * The id of the vector space this model's embeddings live in: two models with the same vector
     * space (a batch-1 original and its dynamic-batch re-export) may share a gallery.
     */
    public String vectorSpace() {
        return sameVectorsAs != null ? sameVectorsAs : id;
    }

    /** A named threshold from the manifest, or {@code fallback} when the manifest has none. */
    public double threshold(String name, double fallback) {
        Double v = thresholds == null ? null : thresholds.get(name);
        return v == null ? fallback : v;
    }

    /**
     * ONNX Runtime graph optimisation level: {@code all} (default), {@code extended} or {@code
     * basic}; {@code models.optimization} overrides it per model ({@link OrtTuning}). Measured per
     * model on ONNX Runtime 1.28 ({@code bench stages --sweep-ort}): {@code all} is the cheapest
     * for every bundled model, the 512-d embedder included (an earlier finding that it made that
     * model 3× slower did not reproduce).
     */
    public String optimizationLevel() {
        return optimization == null ? "all" : optimization;
    }

    /** True when the model's first input dimension is dynamic, so it takes batches. */
    public boolean dynamicBatch() {
        return input.shape().length > 0 && input.shape()[0] < 0;
    }
}
