package io.facestream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facestream.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding model files in order and refusing the wrong ones, with messages that say what to do. */
class ModelResolverTest {
    private static final ModelSpec RETINAFACE =
            ModelManifest.bundled().get("retinaface_mnet025_640");

    @TempDir Path tmp;

    @Test
    void rejectsAModelFileWithTheWrongChecksum() throws Exception {
        Path corrupt = tmp.resolve(RETINAFACE.file());
        Files.copy(TestData.sharedModel(RETINAFACE.file()), corrupt);
        Files.write(corrupt, new byte[] {0}, StandardOpenOption.APPEND);
        String actual = sha256(corrupt);

        // The good copy in ../shared/models comes later in the path: a bad first file is an
        // error, never silently skipped.
        assertThatThrownBy(() -> ModelResolver.standard(tmp.toString()).resolve(RETINAFACE))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining(actual)
                .hasMessageContaining(RETINAFACE.sha256())
                .hasMessageContaining(corrupt.toAbsolutePath().toString())
                .hasMessageContaining(RETINAFACE.source());
    }

    @Test
    void listsEverySearchedDirectoryAndTheSourceWhenTheModelIsNowhere() {
        ModelSpec absent = SpecCopies.withFile(RETINAFACE, "absent_model.onnx");
        ModelResolver resolver = ModelResolver.standard(tmp.resolve("configured").toString());

        assertThat(resolver.searchPath()).hasSize(4);
        assertThatThrownBy(() -> resolver.resolve(absent))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("absent_model.onnx")
                .hasMessageContaining(resolver.searchPath().get(0).toAbsolutePath().toString())
                .hasMessageContaining(resolver.searchPath().get(1).toAbsolutePath().toString())
                .hasMessageContaining(resolver.searchPath().get(2).toAbsolutePath().toString())
                .hasMessageContaining(resolver.searchPath().get(3).toAbsolutePath().toString())
                .hasMessageContaining("facestream models fetch")
                .hasMessageContaining(RETINAFACE.source())
                .hasMessageContaining(ModelResolver.ENV_MODELS);
    }

    @Test
    void saysWhatToSetWhenThereIsNowhereToLook() {
        assertThatThrownBy(() -> new ModelResolver(List.of()).resolve(RETINAFACE))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("nowhere (set FACESTREAM_MODELS)");
    }

    @Test
    void searchesTheConfiguredDirectoryThenTheProjectThenTheSharedModelsThenTheDownloads() {
        Path root = ModelResolver.projectRoot().orElseThrow();

        assertThat(ModelResolver.standard(tmp.toString()).searchPath())
                .containsExactly(
                        tmp,
                        root.resolve("models"),
                        root.resolve("../shared/models").normalize(),
                        ModelCache.dir());
    }

    @Test
    void usesAGoodCopyInTheConfiguredDirectoryFirst() throws Exception {
        Path copy = tmp.resolve(RETINAFACE.file());
        Files.copy(TestData.sharedModel(RETINAFACE.file()), copy);

        assertThat(ModelResolver.standard(tmp.toString()).resolve(RETINAFACE)).isEqualTo(copy);
    }

    @Test
    void fallsBackToTheSharedModels() throws Exception {
        Path found = ModelResolver.standard(tmp.toString()).resolve(RETINAFACE);

        assertThat(found.toRealPath())
                .isEqualTo(TestData.sharedModel(RETINAFACE.file()).toRealPath());
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    @Test
    void derivesAMissingDerivedModelFromItsBaseOnFirstUse() {
        ModelSpec dynamic = ModelManifest.bundled().get("retinaface_mnet025");
        Path shared = TestData.shared().resolve("models");
        Path into = tmp.resolve("derived");
        assertThat(shared.resolve(dynamic.file())).doesNotExist();

        Path file = new ModelResolver(List.of(shared, into), List.of(into)).resolve(dynamic);

        assertThat(file).isEqualTo(into.resolve(dynamic.file()));
        assertThat(ModelResolver.sha256(file)).isEqualTo(dynamic.sha256());
        assertThat(into.toFile().list()).containsExactly(dynamic.file());
        // A resolver that only looks (models fetch's) does not derive.
        assertThatThrownBy(() -> new ModelResolver(List.of(shared)).resolve(dynamic))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("not found");
    }
}
