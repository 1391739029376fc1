package io.facestream.cli;

import io.facestream.model.ModelManifest;
import io.facestream.model.ModelSpec;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Lists the known models with kind, licence and whether their file is present and verified. */
@Command(
        name = "models",
        description = "List known models, their licences and where their files are.")
final class ModelsCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin ModelOptionsMixin models = new ModelOptionsMixin();

    @Override
    public Integer call() {
        ModelManifest manifest = ModelManifest.bundled();
        var resolver = models.modelOptions().resolver();
        System.out.printf(
                "%-26s %-9s %-10s %-4s %-8s %s%n",
                "ID", "KIND", "FAMILY", "DIM", "FILE", "LICENCE");
        for (ModelSpec m : manifest.models()) {
            String status;
            try {
                resolver.resolve(m);
                status = "ok";
            } catch (RuntimeException e) {
                status = "missing";
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
        return 0;
    }
}
