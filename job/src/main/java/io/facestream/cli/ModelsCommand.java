package io.facestream.cli;

import io.facestream.model.ModelManifest;
import io.facestream.model.ModelSpec;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code facestream models}: lists the known models (also {@code models list}); {@code models
 * fetch} downloads missing files into the model cache.
 */
@Command(
        name = "models",
        description = "List known models, their licences and where their files are.",
        subcommands = {ModelsCommand.ListCommand.class, ModelsFetchCommand.class})
final class ModelsCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin ModelOptionsMixin models = new ModelOptionsMixin();

    @Override
    public Integer call() {
        return list(models);
    }

    /** {@code models list}: the same table as {@code models}. */
    @Command(name = "list", description = "List known models and whether their files are present.")
    static final class ListCommand implements Callable<Integer> {
        @picocli.CommandLine.Mixin ModelOptionsMixin models = new ModelOptionsMixin();

        @Override
        public Integer call() {
            return list(models);
        }
    }

    static int list(ModelOptionsMixin options) {
        ModelManifest manifest = ModelManifest.bundled();
        var resolver = options.modelOptions().resolver();
        System.out.printf(
                "%-26s %-9s %-10s %-4s %-8s %s%n",
                "ID", "KIND", "FAMILY", "DIM", "FILE", "LICENCE");
        StringBuilder where = new StringBuilder();
        for (ModelSpec m : manifest.models()) {
            String status;
            try {
                where.append(String.format("  %-26s %s%n", m.id(), resolver.resolve(m)));
                status = "ok";
            } catch (RuntimeException e) {
                status = e.getMessage().contains("not found") ? "missing" : "BAD";
                where.append(String.format("  %-26s %s%n", m.id(), firstLine(e.getMessage())));
            }
            boolean isDefault =
                    m.id().equals(manifest.defaultDetector().id())
                            || m.id().equals(manifest.defaultEmbedder().id());
            System.out.printf(
                    "%-26s %-9s %-10s %-4s %-8s %s%s%n",
                    m.id() + (isDefault ? " *" : ""),
                    m.kind().name().toLowerCase(),
                    m.family(),
                    m.embeddingDim() > 0 ? m.embeddingDim() : "",
                    status,
                    m.licence(),
                    m.commercialUse() ? "" : "  [NOT FOR COMMERCIAL USE]");
        }
        System.out.println("* default. Files are looked for in: " + resolver.searchPath());
        System.out.print(where);
        return 0;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
