package io.facestream.bench;

import io.facestream.model.ModelManifest;
import io.facestream.model.ModelOptions;
import io.facestream.model.ModelSpec;
import java.util.Locale;

/**
 * {@code bench pipeline --pairs}: the model-compute bound of every detector × embedder pair of the
 * manifest with one worker, i.e. frames/s per core, on the same frames: the README's sizing table.
 */
public final class PairTable {
    private PairTable() {}

    /** Measures every pair and returns the Markdown table. */
    public static String run(BenchInput in, ModelOptions models, int threads, int batchSize)
            throws Exception {
        ModelManifest manifest = ModelManifest.bundled();
        StringBuilder sb =
                new StringBuilder(
                        String.format(
                                Locale.ROOT,
                                "%nModel-compute bound per core (1 worker, %d ONNX thread(s),"
                                        + " batch %d) for each pair on the same frames:%n%n"
                                        + "| detector | embedder | frames/s per core | faces/s"
                                        + " per core | ms per frame |%n|---|---|---:|---:|---:|%n",
                                threads,
                                batchSize));
        for (ModelSpec det : manifest.models()) {
            if (det.kind() != ModelSpec.Kind.DETECTOR) {
                continue;
            }
            for (ModelSpec emb : manifest.models()) {
                if (emb.kind() != ModelSpec.Kind.EMBEDDER) {
                    continue;
                }
                Rate r = ComputeBound.run(in, det, emb, models, 1, batchSize);
                System.err.printf(
                        Locale.ROOT, "pair %s + %s: %.1f fps%n", det.id(), emb.id(), r.fps());
                sb.append(
                        String.format(
                                Locale.ROOT,
                                "| %s | %s | %.1f | %.1f | %.1f |%n",
                                det.id(),
                                emb.id(),
                                r.fps(),
                                r.facesPerSecond(),
                                1000 / r.fps()));
            }
        }
        return sb.toString();
    }
}
