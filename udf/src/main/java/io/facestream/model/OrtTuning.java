package io.facestream.model;

import java.io.Serializable;
import java.util.Map;

/**
 * ONNX Runtime session settings beyond the thread count, each measured by {@code bench stages
 * --sweep-ort} (docs/benchmarks.md, "ONNX Runtime session settings, A/B in one run"):
 *
 * <ul>
 *   <li>{@code optimization}: graph optimisation level per model id ({@code all}, {@code extended},
 *       {@code basic}), overriding the manifest's {@code optimization} field for that model;
 *   <li>{@code spinning}: whether ONNX Runtime's intra-op pool threads spin while waiting for work.
 *       Spinning only exists when a session has more than one intra-op thread; it buys a little
 *       latency with CPU that a Flink task manager's other subtasks need, so it is off by default;
 *   <li>{@code cpuArena} and {@code memoryPattern}: ONNX Runtime's arena allocator and its
 *       pre-planned memory pattern (both ORT defaults, on).
 * </ul>
 */
public record OrtTuning(
        Map<String, String> optimization, boolean spinning, boolean cpuArena, boolean memoryPattern)
        implements Serializable {

    /** The product defaults: manifest levels, no spinning, ORT's allocator defaults. */
    public static final OrtTuning DEFAULT = new OrtTuning(Map.of(), false, true, true);

    public OrtTuning {
        optimization = Map.copyOf(optimization);
        for (var e : optimization.entrySet()) {
            if (!OnnxModel.knownLevel(e.getValue())) {
                throw new IllegalArgumentException(
                        "optimization level for '"
                                + e.getKey()
                                + "' must be all, extended or basic, got '"
                                + e.getValue()
                                + "'");
            }
        }
    }

    /** The level this model runs at: the override for its id, else the manifest's. */
    public String levelFor(ModelSpec spec) {
        return optimization.getOrDefault(spec.id(), spec.optimizationLevel());
    }

    public OrtTuning withOptimization(String modelId, String level) {
        Map<String, String> m = new java.util.HashMap<>(optimization);
        m.put(modelId, level);
        return new OrtTuning(m, spinning, cpuArena, memoryPattern);
    }

    public OrtTuning withSpinning(boolean on) {
        return new OrtTuning(optimization, on, cpuArena, memoryPattern);
    }

    public OrtTuning withCpuArena(boolean on) {
        return new OrtTuning(optimization, spinning, on, memoryPattern);
    }

    public OrtTuning withMemoryPattern(boolean on) {
        return new OrtTuning(optimization, spinning, cpuArena, on);
    }
}
