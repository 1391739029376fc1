package io.facestream.model;

import java.io.Serializable;

/**
 * How models are found and run: a directory searched first (null: {@code FACESTREAM_MODELS}, then
 * the defaults of {@link ModelResolver}), ONNX Runtime intra-op threads (default 1 per operator
 * instance, so parallelism comes from Flink subtasks, not from threads fighting for cores), and the
 * execution provider ({@code cpu}, or {@code cuda} when onnxruntime_gpu is on the classpath), and
 * the other session settings ({@link OrtTuning}).
 */
public record ModelOptions(
        String modelsDir, int intraOpThreads, String executionProvider, OrtTuning tuning)
        implements Serializable {

    public static final ModelOptions DEFAULT = new ModelOptions(null, 1, "cpu");

    public ModelOptions(String modelsDir, int intraOpThreads, String executionProvider) {
        this(modelsDir, intraOpThreads, executionProvider, OrtTuning.DEFAULT);
    }

    public ModelOptions {
        if (tuning == null) {
            tuning = OrtTuning.DEFAULT;
        }
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException(
                    "intra-op threads must be >= 1, got " + intraOpThreads);
        }
        if (!"cpu".equals(executionProvider) && !"cuda".equals(executionProvider)) {
            throw new IllegalArgumentException(
                    "execution provider must be 'cpu' or 'cuda', got '" + executionProvider + "'");
        }
    }

    public ModelOptions withThreads(int threads) {
        return new ModelOptions(modelsDir, threads, executionProvider, tuning);
    }

    public ModelOptions withTuning(OrtTuning t) {
        return new ModelOptions(modelsDir, intraOpThreads, executionProvider, t);
    }

    public ModelResolver resolver() {
        return ModelResolver.standard(modelsDir);
    }
}
