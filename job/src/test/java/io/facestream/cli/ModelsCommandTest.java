package io.facestream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.facestream.model.ModelCache;
import io.facestream.model.ModelManifest;
import io.facestream.testing.Cli;
import io.facestream.testing.FileServer;
import io.facestream.testing.ForkedJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code facestream models fetch} and {@code models list} against a mirror of ../shared/models. */
class ModelsCommandTest {
    static final Path SHARED_MODELS =
            ForkedJvm.projectRoot().resolve("../shared/models").normalize();

    @TempDir Path tmp;

    @Test
    void fetchesNamedModelsFromAMirrorOnceAndListsWhereTheyAre() throws Exception {
        Path cache = tmp.resolve("cache");
        try (FileServer mirror = FileServer.serve(SHARED_MODELS)) {
            Cli first =
                    Cli.run(
                            "models",
                            "fetch",
                            "--mirror",
                            mirror.url(),
                            "--cache",
                            cache.toString(),
                            "retinaface_mnet025_640",
                            "retinaface_mnet025",
                            "yunet_2023mar");
            assertThat(first.rc()).as(first.err()).isZero();
            assertThat(first.out())
                    .contains(
                            "fetched retinaface_mnet025_640: "
                                    + cache.resolve("retinaface_mnet025.onnx"))
                    // The default detector is derived from it, never downloaded.
                    .containsPattern(
                            "derived retinaface_mnet025 from \\S+/retinaface_mnet025.onnx: "
                                    + cache.resolve("retinaface_mnet025_dynamic.onnx"))
                    .contains("fetched yunet_2023mar")
                    .contains("sha256 ok");
            assertThat(first.err()).contains("retinaface_mnet025_640 [").contains("] 1669/1669");
            assertThat(cache.resolve("retinaface_mnet025.onnx"))
                    .hasSameBinaryContentAs(SHARED_MODELS.resolve("retinaface_mnet025.onnx"));

            Cli again =
                    Cli.run(
                            "models",
                            "fetch",
                            "--mirror",
                            mirror.url(),
                            "--cache",
                            cache.toString(),
                            "retinaface_mnet025_640",
                            "retinaface_mnet025");
            assertThat(again.rc()).isZero();
            assertThat(again.out()).contains("nothing to fetch");
        }
        String before = System.getProperty(ModelCache.PROPERTY);
        System.setProperty(ModelCache.PROPERTY, cache.toString());
        try {
            Cli list = Cli.run("models", "list");
            assertThat(list.rc()).isZero();
            // Found first in ../shared/models; the cache is on the search path too.
            assertThat(list.out())
                    .contains(cache.toString())
                    .containsPattern(
                            "retinaface_mnet025_640 +\\S*shared/models/retinaface_mnet025.onnx");
            assertThat(
                            list.out()
                                    .lines()
                                    .filter(l -> l.matches("\\S+( \\*)? +(detector|embedder) .*")))
                    .hasSize(ModelManifest.bundled().models().size());
        } finally {
            if (before == null) {
                System.clearProperty(ModelCache.PROPERTY);
            } else {
                System.setProperty(ModelCache.PROPERTY, before);
            }
        }
    }

    @Test
    void exitsOneAndSaysWhyWhenTheMirrorLacksAFile() throws Exception {
        Path cache = tmp.resolve("cache");
        try (FileServer empty = FileServer.serve(Files.createDirectories(tmp.resolve("empty")))) {
            Cli run =
                    Cli.run(
                            "models",
                            "fetch",
                            "--mirror",
                            empty.url(),
                            "--cache",
                            cache.toString(),
                            "yunet_2023mar");
            assertThat(run.rc()).isEqualTo(1);
            assertThat(run.err())
                    .contains("cannot download model 'yunet_2023mar' from " + empty.url())
                    .contains("HTTP 404")
                    .contains("1 of 1 models not fetched");
        }
        assertThat(cache).isEmptyDirectory();
    }

    @Test
    void derivesTheDefaultEmbedderFromItsUpstreamBatchOneFileWithoutAMirror() throws Exception {
        Path cache = tmp.resolve("cache");
        // No mirror and no network: the batch-1 file is found in ../shared/models, the
        // dynamic-batch default embedder is rebuilt from it and checked against the manifest.
        Cli fetch = Cli.run("models", "fetch", "--cache", cache.toString(), "mbf512_faceplugin");
        assertThat(fetch.rc()).as(fetch.err()).isZero();
        assertThat(fetch.out())
                .contains("derived mbf512_faceplugin from ")
                .contains("mbf512_faceplugin_batch1.onnx")
                .contains("sha256 ok");
        assertThat(cache.resolve("mbf512_faceplugin.onnx"))
                .hasSameBinaryContentAs(SHARED_MODELS.resolve("mbf512_faceplugin.onnx"));
        assertThat(Files.list(cache)).hasSize(1);
    }
}
