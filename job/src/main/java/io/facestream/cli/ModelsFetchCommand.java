package io.facestream.cli;

import io.facestream.model.ModelCache;
import io.facestream.model.ModelFetcher;
import io.facestream.model.ModelManifest;
import io.facestream.model.ModelResolver;
import io.facestream.model.ModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code facestream models fetch}: downloads model files into the cache ({@link ModelCache}) from
 * their upstream URLs or a mirror, each checked against the manifest's sha256 (a mismatch is
 * refused and the download deleted). Without ids, every model found nowhere is fetched; named ids
 * are fetched into the cache unless it already holds a verified copy. Exit code 1 when any model
 * could not be fetched.
 */
@Command(
        name = "fetch",
        description =
                "Download missing model files into the cache (~/.cache/facestream/models) and"
                        + " check their sha256.")
final class ModelsFetchCommand implements Callable<Integer> {
    @Parameters(paramLabel = "ID", description = "Models to fetch (default: every missing one).")
    List<String> ids = new ArrayList<>();

    @Option(
            names = "--cache",
            paramLabel = "DIR",
            description =
                    "Download folder (default: $FACESTREAM_MODEL_CACHE, else"
                            + " ~/.cache/facestream/models).")
    Path cache;

    @Option(
            names = "--mirror",
            paramLabel = "URL",
            description =
                    "Base URL serving every model under its file name, instead of the upstream"
                            + " URLs in the manifest.")
    String mirror;

    @Option(
            names = "--models-dir",
            paramLabel = "DIR",
            description = "Also count files in DIR as present.")
    String modelsDir;

    @Override
    public Integer call() {
        ModelManifest manifest = ModelManifest.bundled();
        Path dir = cache != null ? cache.toAbsolutePath().normalize() : ModelCache.dir();
        ModelResolver inCache = new ModelResolver(List.of(dir));
        List<Path> everywhere = new ArrayList<>(ModelResolver.standard(modelsDir).searchPath());
        everywhere.add(dir);
        ModelResolver anywhere = new ModelResolver(everywhere);

        List<ModelSpec> wanted = new ArrayList<>();
        for (ModelSpec m :
                ids.isEmpty() ? manifest.models() : ids.stream().map(manifest::get).toList()) {
            if (!present(ids.isEmpty() ? anywhere : inCache, m)) {
                wanted.add(m);
            }
        }
        if (wanted.isEmpty()) {
            System.out.println("nothing to fetch: every model is present (facestream models list)");
            return 0;
        }
        ModelFetcher fetcher = new ModelFetcher(dir, mirror);
        int failed = 0;
        for (ModelSpec m : wanted) {
            ProgressBar bar = new ProgressBar(System.err, m.id());
            ModelFetcher.Progress progress =
                    (spec, done, total) -> {
                        if (total > 0) {
                            bar.update(
                                    (int) (done >> 10), (int) (total >> 10), Path.of(spec.file()));
                        }
                    };
            try {
                Path file;
                if (m.derivedFrom() != null) {
                    // The dynamic-batch embedders and the dynamic-size detector exist nowhere
                    // upstream: rebuilt from the upstream file, itself fetched first (from the
                    // mirror, when one is given) when it is nowhere yet.
                    ModelSpec base = manifest.get(m.derivedFrom());
                    Path baseFile =
                            present(anywhere, base)
                                    ? anywhere.resolve(base)
                                    : fetcher.fetch(base, progress);
                    file = fetcher.derive(m, baseFile);
                    System.out.printf(
                            Locale.ROOT,
                            "derived %s from %s: %s (%.1f MB, sha256 ok)%n",
                            m.id(),
                            baseFile,
                            file,
                            Files.size(file) / 1e6);
                    continue;
                }
                file = fetcher.fetch(m, progress);
                System.out.printf(
                        Locale.ROOT,
                        "fetched %s: %s (%.1f MB, sha256 ok)%n",
                        m.id(),
                        file,
                        Files.size(file) / 1e6);
            } catch (Exception e) {
                failed++;
                System.err.println("error: " + e.getMessage());
            }
        }
        if (failed > 0) {
            System.err.printf("%d of %d models not fetched%n", failed, wanted.size());
            return 1;
        }
        return 0;
    }

    private static boolean present(ModelResolver resolver, ModelSpec m) {
        try {
            resolver.resolve(m);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
