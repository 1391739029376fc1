package io.facestream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtException;
import io.facestream.testing.TestData;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Opening the real model files: each matches its manifest entry, and a file that does not match
 * what the manifest promises (names, shapes, batch) is refused on open with both sides named.
 */
class OnnxModelTest {
    private static final ModelManifest MANIFEST = ModelManifest.bundled();
    private static final ModelSpec RETINAFACE = MANIFEST.get("retinaface_mnet025_640");

    static java.util.stream.Stream<String> modelIds() {
        return MANIFEST.models().stream().map(ModelSpec::id);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modelIds")
    void opensEveryManifestModelAgainstItsRealFile(String id) {
        ModelSpec spec = MANIFEST.get(id);
        try (OnnxModel model = OnnxModel.open(spec, ModelOptions.DEFAULT)) {
            assertThat(model.spec()).isSameAs(spec);
            assertThat(model.file().getFileName().toString()).isEqualTo(spec.file());
            assertThat(model.dynamicBatch()).isEqualTo(spec.dynamicBatch());
        }
    }

    @Test
    void exposesDynamicBatchOnlyForTheReExportedEmbedder() {
        try (OnnxModel dynamic =
                        OnnxModel.open(MANIFEST.get("mbf512_faceplugin"), ModelOptions.DEFAULT);
                OnnxModel fixed =
                        OnnxModel.open(
                                MANIFEST.get("mbf512_faceplugin_batch1"), ModelOptions.DEFAULT)) {
            assertThat(dynamic.dynamicBatch()).isTrue();
            assertThat(fixed.dynamicBatch()).isFalse();

            OnnxModel.Outputs out =
                    dynamic.run(zeros(3 * 3 * 112 * 112), new long[] {3, 3, 112, 112});
            assertThat(out.shape("output")).containsExactly(3, 512);
            assertThatThrownBy(
                            () -> fixed.run(zeros(2 * 3 * 112 * 112), new long[] {2, 3, 112, 112}))
                    .isInstanceOf(ModelException.class)
                    .hasMessageContaining("mbf512_faceplugin_batch1")
                    .hasMessageContaining("[2, 3, 112, 112]")
                    .hasCauseInstanceOf(OrtException.class);
        }
    }

    @Test
    void refusesAFileWhoseInputNameDiffersFromTheManifest() {
        ModelSpec wrong = SpecCopies.withInput(RETINAFACE, "image", RETINAFACE.input().shape());

        assertThatThrownBy(() -> open(wrong))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("expects input 'image'")
                .hasMessageContaining("[input0]")
                .hasMessageContaining(RETINAFACE.file());
    }

    @Test
    void refusesAFileWhoseInputSizeDiffersFromTheManifest() {
        ModelSpec wrong = SpecCopies.withInput(RETINAFACE, "input0", new long[] {1, 3, 320, 320});

        assertThatThrownBy(() -> open(wrong))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("[1, 3, 640, 640]")
                .hasMessageContaining("[1, 3, 320, 320]");
    }

    @Test
    void refusesAFileWhoseOutputShapeDiffersFromTheManifest() {
        ModelSpec wrong = SpecCopies.withOutput(RETINAFACE, 0, "output0", new long[] {1, 16800, 5});

        assertThatThrownBy(() -> open(wrong))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("output 'output0'")
                .hasMessageContaining("[1, 16800, 4]")
                .hasMessageContaining("[1, 16800, 5]");
    }

    @Test
    void refusesAFileLackingAnOutputTheManifestNames() {
        ModelSpec wrong = SpecCopies.withOutput(RETINAFACE, 1, "scores", new long[] {1, 16800, 2});

        assertThatThrownBy(() -> open(wrong))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("expects output 'scores'")
                .hasMessageContaining("572");
    }

    @Test
    void refusesAFixedBatchFileUnderASpecPromisingDynamicBatch() {
        ModelSpec dynamic = MANIFEST.get("mbf512_faceplugin");
        Path fixedFile = TestData.sharedModel("mbf512_faceplugin_batch1.onnx");

        assertThatThrownBy(() -> OnnxModel.open(dynamic, fixedFile, ModelOptions.DEFAULT))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("[1, 3, 112, 112]")
                .hasMessageContaining("[-1, 3, 112, 112]");
    }

    @Test
    void refusesAFileThatIsNotAnOnnxModel(@TempDir Path tmp) throws Exception {
        Path text = Files.writeString(tmp.resolve("retinaface_mnet025.onnx"), "not a model\n");

        assertThatThrownBy(() -> OnnxModel.open(RETINAFACE, text, ModelOptions.DEFAULT))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("cannot open model 'retinaface_mnet025_640'")
                .hasMessageContaining(text.toString())
                .hasCauseInstanceOf(OrtException.class);
    }

    @Test
    void wrapsAnEngineErrorOnAnInputOfTheWrongSize() {
        try (OnnxModel model = OnnxModel.open(RETINAFACE, ModelOptions.DEFAULT)) {
            assertThatThrownBy(() -> model.run(zeros(3 * 320 * 320), new long[] {1, 3, 320, 320}))
                    .isInstanceOf(ModelException.class)
                    .hasMessageContaining("retinaface_mnet025")
                    .hasMessageContaining("[1, 3, 320, 320]");
        }
    }

    @Test
    void rejectsFewerThanOneThread() {
        assertThatThrownBy(() -> ModelOptions.DEFAULT.withThreads(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(">= 1");
    }

    private static OnnxModel open(ModelSpec spec) {
        return OnnxModel.open(spec, TestData.sharedModel(spec.file()), ModelOptions.DEFAULT);
    }

    private static FloatBuffer zeros(int n) {
        return FloatBuffer.allocate(n);
    }
}
