package io.facestream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facestream.testing.FileServer;
import io.facestream.testing.TestData;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Downloading model files over real HTTP (the JDK's server serving {@code ../shared/models}):
 * verified files land in the cache; a wrong sha256, a missing file or a server that is down leave
 * nothing behind and say why.
 */
class ModelFetcherTest {
    private static final ModelManifest MANIFEST = ModelManifest.bundled();
    private static final Path SHARED_MODELS = TestData.shared().resolve("models");

    @TempDir Path tmp;

    @Test
    void fetchesFromAMirrorIntoTheCacheAndTheResolverFindsThem() throws Exception {
        Path cache = tmp.resolve("cache");
        AtomicLong lastDone = new AtomicLong();
        AtomicLong total = new AtomicLong();
        try (FileServer mirror = FileServer.serve(SHARED_MODELS)) {
            ModelFetcher fetcher = new ModelFetcher(cache, mirror.url() + "/");
            for (String id : List.of("retinaface_mnet025_640", "yunet_2023mar")) {
                ModelSpec spec = MANIFEST.get(id);
                Path file =
                        fetcher.fetch(
                                spec,
                                (m, done, all) -> {
                                    lastDone.set(done);
                                    total.set(all);
                                });

                assertThat(file).isEqualTo(cache.resolve(spec.file()));
                assertThat(ModelResolver.sha256(file)).isEqualTo(spec.sha256());
                assertThat(lastDone.get())
                        .isEqualTo(total.get())
                        .isEqualTo(Files.size(SHARED_MODELS.resolve(spec.file())));
                assertThat(new ModelResolver(List.of(cache)).resolve(spec)).isEqualTo(file);
            }
        }
        assertThat(names(cache))
                .containsExactlyInAnyOrder("retinaface_mnet025.onnx", "yunet_2023mar.onnx");
    }

    @Test
    void refusesAFileWhoseSha256DiffersAndLeavesNothingBehind() throws Exception {
        ModelSpec real = MANIFEST.get("yunet_2023mar");
        ModelSpec wrong = SpecCopies.withSha256(real, "0".repeat(64));
        Path cache = tmp.resolve("cache");
        try (FileServer mirror = FileServer.serve(SHARED_MODELS)) {
            assertThatThrownBy(() -> new ModelFetcher(cache, mirror.url()).fetch(wrong, null))
                    .isInstanceOf(ModelException.class)
                    .hasMessageContaining("refused model 'yunet_2023mar'")
                    .hasMessageContaining(real.sha256())
                    .hasMessageContaining("0".repeat(64))
                    .hasMessageContaining("deleted");
        }
        assertThat(names(cache)).isEmpty();
    }

    @Test
    void saysTheServerIsDownAndLeavesNothingBehind() throws Exception {
        String url;
        try (FileServer stopped = FileServer.serve(SHARED_MODELS)) {
            url = stopped.url();
        }
        Path cache = tmp.resolve("cache");
        assertThatThrownBy(
                        () ->
                                new ModelFetcher(cache, url)
                                        .fetch(MANIFEST.get("yunet_2023mar"), null))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("cannot download model 'yunet_2023mar' from " + url)
                .hasMessageContaining("connection refused");
        assertThat(names(cache)).isEmpty();
    }

    @Test
    void reportsAFileTheServerDoesNotHave() throws Exception {
        Path cache = tmp.resolve("cache");
        try (FileServer empty = FileServer.serve(Files.createDirectories(tmp.resolve("empty")))) {
            assertThatThrownBy(
                            () ->
                                    new ModelFetcher(cache, empty.url())
                                            .fetch(MANIFEST.get("yunet_2023mar"), null))
                    .isInstanceOf(ModelException.class)
                    .hasMessageContaining("HTTP 404");
        }
        assertThat(names(cache)).isEmpty();
    }

    @Test
    void unpacksAModelPublishedInsideATarball() throws Exception {
        // How npm publishes faceplugin: the model is one entry of the package's .tgz.
        ModelSpec batch1 = MANIFEST.get("mbf512_faceplugin_batch1");
        assertThat(batch1.download().archiveEntry()).isEqualTo("package/model/fr_feature.onnx");
        Path site = Files.createDirectories(tmp.resolve("site"));
        try (OutputStream out = Files.newOutputStream(site.resolve("faceplugin-1.0.3.tgz"));
                TarArchiveOutputStream tar =
                        new TarArchiveOutputStream(new GZIPOutputStream(out))) {
            Path onnx = SHARED_MODELS.resolve(batch1.file());
            for (String name : List.of("package/package.json", batch1.download().archiveEntry())) {
                Path content = name.endsWith(".onnx") ? onnx : SHARED_MODELS.resolve("MODELS.md");
                tar.putArchiveEntry(new TarArchiveEntry(content, name));
                Files.copy(content, tar);
                tar.closeArchiveEntry();
            }
        }
        Path cache = tmp.resolve("cache");
        try (FileServer upstream = FileServer.serve(site)) {
            ModelSpec local =
                    SpecCopies.withDownload(
                            batch1,
                            new ModelSpec.Download(
                                    upstream.url() + "/faceplugin-1.0.3.tgz",
                                    batch1.download().archiveEntry()));
            Path file = new ModelFetcher(cache, null).fetch(local, null);
            assertThat(ModelResolver.sha256(file)).isEqualTo(batch1.sha256());
        }
        assertThat(names(cache)).containsExactly(batch1.file());
    }

    @Test
    void namesTheUpstreamFileAtAPinnedCommitOrSaysThereIsNone() {
        for (ModelSpec m : MANIFEST.models()) {
            if (m.downloadUrl() != null) {
                assertThat(m.downloadUrl())
                        .as(m.id())
                        .matches(
                                "https://raw\\.githubusercontent\\.com/[^/]+/[^/]+/[0-9a-f]{40}/.+"
                                        + "|https://registry\\.npmjs\\.org/.+-\\d+\\.\\d+\\.\\d+\\.tgz");
            } else {
                assertThatThrownBy(() -> new ModelFetcher(tmp, null).sourceOf(m))
                        .as(m.id())
                        .hasMessageContaining("derived from '" + m.derivedFrom() + "'");
            }
        }
        // Everything that is not derived from another model has an upstream URL.
        assertThat(MANIFEST.models())
                .filteredOn(m -> m.downloadUrl() == null)
                .extracting(ModelSpec::id, ModelSpec::derivedFrom)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(
                                "mbf512_faceplugin", "mbf512_faceplugin_batch1"),
                        org.assertj.core.groups.Tuple.tuple(
                                "mbf128_foamliu", "mbf128_foamliu_batch1"),
                        org.assertj.core.groups.Tuple.tuple(
                                "retinaface_mnet025", "retinaface_mnet025_640"));
    }

    @Test
    void derivesTheDynamicBatchEmbeddersByteForByteFromTheUpstreamBatchOneFiles() {
        Path cache = tmp.resolve("cache");
        ModelFetcher fetcher = new ModelFetcher(cache, null);
        for (String id : List.of("mbf512_faceplugin", "mbf128_foamliu")) {
            ModelSpec m = MANIFEST.get(id);
            Path base = SHARED_MODELS.resolve(MANIFEST.get(m.derivedFrom()).file());
            Path file = fetcher.derive(m, base);
            assertThat(file).as(id).hasSameBinaryContentAs(SHARED_MODELS.resolve(m.file()));
        }
        assertThat(new ModelResolver(List.of(cache)).resolve(MANIFEST.get("mbf512_faceplugin")))
                .isEqualTo(cache.resolve("mbf512_faceplugin.onnx"));
    }

    @Test
    void refusesADerivationThatDoesNotGiveTheManifestsFileAndLeavesNothing() throws Exception {
        Path cache = tmp.resolve("cache");
        ModelFetcher fetcher = new ModelFetcher(cache, null);
        // The 128-d file derives fine, but is not the 512-d model the manifest names.
        Path other = SHARED_MODELS.resolve("mbf128_foamliu_batch1.onnx");
        assertThatThrownBy(() -> fetcher.derive(MANIFEST.get("mbf512_faceplugin"), other))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("sha256")
                .hasMessageContaining("nothing was written");
        // A file that is not an ONNX model at all.
        Path notOnnx = TestData.shared().resolve("data/people/gallery/obama/obama_a.jpg");
        assertThatThrownBy(() -> fetcher.derive(MANIFEST.get("mbf512_faceplugin"), notOnnx))
                .isInstanceOf(ModelException.class);
        // A detector has no [1, D] output to make dynamic.
        assertThatThrownBy(
                        () ->
                                fetcher.derive(
                                        MANIFEST.get("mbf512_faceplugin"),
                                        SHARED_MODELS.resolve("retinaface_mnet025.onnx")))
                .isInstanceOf(ModelException.class);
        assertThat(names(cache)).isEmpty();
    }

    private static List<String> names(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }
}
