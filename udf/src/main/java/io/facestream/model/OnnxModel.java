package io.facestream.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ONNX Runtime session for one manifest model. Opening it checks that the file's input and
 * output names and shapes are those the manifest promises, so a wrong file fails here rather than
 * giving wrong faces later. Not thread-safe for concurrent {@link #run} calls with shared buffers;
 * give each operator instance its own.
 */
public final class OnnxModel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxModel.class);

    private final ModelSpec spec;
    private final Path file;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final boolean dynamicBatch;

    private OnnxModel(ModelSpec spec, Path file, OrtEnvironment env, OrtSession session) {
        this.spec = spec;
        this.file = file;
        this.env = env;
        this.session = session;
        this.dynamicBatch = spec.input().shape()[0] < 0;
    }

    /** Resolves, verifies and opens the model. */
    public static OnnxModel open(ModelSpec spec, ModelOptions options) {
        return open(spec, options.resolver().resolve(spec), options);
    }

    /** Opens a model from an explicit, already verified file. */
    public static OnnxModel open(ModelSpec spec, Path file, ModelOptions options) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try {
            // Nothing leaves the machine unless its operator configured it: ONNX Runtime's
            // telemetry stays off (1.28 has no client on Linux; 1.29's crashed JVMs, see the pom).
            env.setTelemetry(false);
        } catch (OrtException e) {
            throw new ModelException("cannot disable ONNX Runtime telemetry: " + e.getMessage(), e);
        }
        OrtSession session;
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            OrtTuning tuning = options.tuning();
            so.setIntraOpNumThreads(options.intraOpThreads());
            so.setInterOpNumThreads(1);
            so.setOptimizationLevel(optLevel(spec, tuning.levelFor(spec)));
            // A spinning pool thread burns a core between the calls of a subtask that shares it
            // with others (measured in docs/benchmarks.md); only sessions with a pool spin at all.
            so.addConfigEntry("session.intra_op.allow_spinning", tuning.spinning() ? "1" : "0");
            so.addConfigEntry("session.inter_op.allow_spinning", tuning.spinning() ? "1" : "0");
            so.setCPUArenaAllocator(tuning.cpuArena());
            so.setMemoryPatternOptimization(tuning.memoryPattern());
            if ("cuda".equals(options.executionProvider())) {
                so.addCUDA();
            }
            session = env.createSession(file.toString(), so);
        } catch (OrtException e) {
            throw new ModelException(
                    "cannot open model '" + spec.id() + "' from " + file + ": " + e.getMessage(),
                    e);
        }
        try {
            validate(spec, file, session);
        } catch (RuntimeException e) {
            closeQuietly(session);
            throw e;
        }
        LOG.info(
                "opened model {} from {} ({} threads, {}, optimization {}, batch {})",
                spec.id(),
                file,
                options.intraOpThreads(),
                options.executionProvider(),
                options.tuning().levelFor(spec),
                spec.input().shape()[0] < 0 ? "dynamic" : "fixed 1");
        return new OnnxModel(spec, file, env, session);
    }

    static boolean knownLevel(String level) {
        return "all".equals(level) || "extended".equals(level) || "basic".equals(level);
    }

    private static OrtSession.SessionOptions.OptLevel optLevel(ModelSpec spec, String level) {
        return switch (level) {
            case "all" -> OrtSession.SessionOptions.OptLevel.ALL_OPT;
            case "extended" -> OrtSession.SessionOptions.OptLevel.EXTENDED_OPT;
            case "basic" -> OrtSession.SessionOptions.OptLevel.BASIC_OPT;
            default ->
                    throw new ModelException(
                            "model '"
                                    + spec.id()
                                    + "': unknown optimization level '"
                                    + level
                                    + "' (all, extended, basic)");
        };
    }

    private static void validate(ModelSpec spec, Path file, OrtSession session) {
        try {
            Map<String, NodeInfo> inputs = session.getInputInfo();
            if (!inputs.containsKey(spec.input().name())) {
                throw new ModelException(
                        String.format(
                                "model '%s' at %s has inputs %s but the manifest expects input '%s'",
                                spec.id(), file, inputs.keySet(), spec.input().name()));
            }
            checkShape(spec, file, "input", spec.input().name(), inputs, spec.input().shape());
            Map<String, NodeInfo> outputs = session.getOutputInfo();
            for (ModelSpec.OutputSpec out : spec.outputs()) {
                if (!outputs.containsKey(out.name())) {
                    throw new ModelException(
                            String.format(
                                    "model '%s' at %s has outputs %s but the manifest expects"
                                            + " output '%s'",
                                    spec.id(), file, outputs.keySet(), out.name()));
                }
                checkShape(spec, file, "output", out.name(), outputs, out.shape());
            }
        } catch (OrtException e) {
            throw new ModelException("cannot inspect model '" + spec.id() + "' at " + file, e);
        }
    }

    private static void checkShape(
            ModelSpec spec,
            Path file,
            String what,
            String name,
            Map<String, NodeInfo> infos,
            long[] expected) {
        long[] actual = ((TensorInfo) infos.get(name).getInfo()).getShape();
        boolean ok = actual.length == expected.length;
        for (int i = 0; ok && i < actual.length; i++) {
            // -1 (dynamic) on either side matches anything; fixed sizes must agree.
            ok = actual[i] < 0 || expected[i] < 0 || actual[i] == expected[i];
        }
        // A manifest that promises a dynamic batch must not get a fixed-batch file.
        if (ok && expected.length > 0 && expected[0] < 0 && actual[0] > 0 && "input".equals(what)) {
            ok = false;
        }
        if (!ok) {
            throw new ModelException(
                    String.format(
                            "model '%s' at %s: %s '%s' has shape %s but the manifest expects %s",
                            spec.id(),
                            file,
                            what,
                            name,
                            Arrays.toString(actual),
                            Arrays.toString(expected)));
        }
    }

    public ModelSpec spec() {
        return spec;
    }

    public Path file() {
        return file;
    }

    /** True when the model takes any batch size; false when its batch is fixed to 1. */
    public boolean dynamicBatch() {
        return dynamicBatch;
    }

    /**
     * Runs the model on one input tensor (NCHW floats, ideally a direct buffer, which ONNX Runtime
     * reads without a copy) and returns every output as a flat float array with its shape.
     */
    public Outputs run(FloatBuffer input, long[] shape) {
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, input, shape);
                OrtSession.Result result = session.run(Map.of(spec.input().name(), tensor))) {
            Map<String, float[]> data = new HashMap<>();
            Map<String, long[]> shapes = new HashMap<>();
            for (Map.Entry<String, ai.onnxruntime.OnnxValue> e : result) {
                OnnxTensor t = (OnnxTensor) e.getValue();
                data.put(e.getKey(), floats(t.getFloatBuffer()));
                shapes.put(e.getKey(), t.getInfo().getShape());
            }
            return new Outputs(data, shapes);
        } catch (OrtException e) {
            throw new ModelException(
                    "model '"
                            + spec.id()
                            + "' ("
                            + file
                            + ") failed on input "
                            + Arrays.toString(shape)
                            + ": "
                            + e.getMessage(),
                    e);
        }
    }

    /**
     * The floats of an output. ONNX Runtime's {@code getFloatBuffer} already copies the native
     * output into a fresh heap buffer; its array is taken as is rather than copied a second time
     * (the detector's outputs are about 1 MB per frame).
     */
    private static float[] floats(FloatBuffer fb) {
        if (fb.hasArray() && fb.arrayOffset() == 0 && fb.position() == 0) {
            float[] a = fb.array();
            if (a.length == fb.remaining()) {
                return a;
            }
        }
        float[] arr = new float[fb.remaining()];
        fb.get(arr);
        return arr;
    }

    @Override
    public void close() {
        closeQuietly(session);
    }

    private static void closeQuietly(OrtSession s) {
        try {
            s.close();
        } catch (OrtException e) {
            LOG.warn("closing ONNX session failed", e);
        }
    }

    /** Model outputs by name: flat row-major data and its shape. */
    public record Outputs(Map<String, float[]> data, Map<String, long[]> shapes) {
        public float[] get(String name) {
            float[] d = data.get(name);
            if (d == null) {
                throw new ModelException(
                        "model has no output '" + name + "'; has " + data.keySet());
            }
            return d;
        }

        public long[] shape(String name) {
            return shapes.get(name);
        }
    }
}
