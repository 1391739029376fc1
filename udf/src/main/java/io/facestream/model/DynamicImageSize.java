package io.facestream.model;

import static io.facestream.model.DynamicBatch.DIM_PARAM;
import static io.facestream.model.DynamicBatch.GRAPH_INITIALIZER;
import static io.facestream.model.DynamicBatch.GRAPH_INPUT;
import static io.facestream.model.DynamicBatch.GRAPH_NODE;
import static io.facestream.model.DynamicBatch.MODEL_GRAPH;
import static io.facestream.model.DynamicBatch.NODE_ATTRIBUTE;
import static io.facestream.model.DynamicBatch.NODE_INPUT;
import static io.facestream.model.DynamicBatch.NODE_OP_TYPE;
import static io.facestream.model.DynamicBatch.NODE_OUTPUT;
import static io.facestream.model.DynamicBatch.ONNX_INT64;
import static io.facestream.model.DynamicBatch.SHAPE_DIM;
import static io.facestream.model.DynamicBatch.TENSOR_DATA_TYPE;
import static io.facestream.model.DynamicBatch.TENSOR_NAME;
import static io.facestream.model.DynamicBatch.TENSOR_RAW_DATA;
import static io.facestream.model.DynamicBatch.TENSOR_TYPE_SHAPE;
import static io.facestream.model.DynamicBatch.TYPE_TENSOR;
import static io.facestream.model.DynamicBatch.VALUE_NAME;
import static io.facestream.model.DynamicBatch.VALUE_TYPE;
import static io.facestream.model.DynamicBatch.dimValue;
import static io.facestream.model.DynamicBatch.lengthDelimited;
import static io.facestream.model.DynamicBatch.replace;
import static io.facestream.model.DynamicBatch.rewriteEach;
import static io.facestream.model.DynamicBatch.single;
import static io.facestream.model.DynamicBatch.string;
import static io.facestream.model.DynamicBatch.strings;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Derives a detector that takes any input height and width from an ONNX export whose image input is
 * fixed (RetinaFace-MNet0.25 is exported as [1,3,640,640]), so a 16:9 frame is run on a 16:9 input
 * instead of a square one that is 44 % zero padding.
 *
 * <p>The edit: the last two dimensions of the 4-d image input become the symbolic dimensions {@code
 * height} and {@code width}; the graph's {@code value_info} (intermediate shapes the exporter wrote
 * down for the fixed size) is dropped so ONNX Runtime infers them again; and every FPN upsampling
 * whose target size the tracer froze (see {@link #sizedUpsamples}) gets that size from the graph
 * again. Nothing else changes. A graph that still bakes the size in is refused with a {@link
 * ModelException} naming the node: a constant {@code Reshape} target without a {@code -1} (such as
 * [1, 16800, 4], which fixes the prior count), or a frozen upsampling size in a form this class
 * does not know. The biubug6 RetinaFace export has two frozen sizes ({@code
 * F.interpolate(size=...)} in its FPN, [40, 40] and [80, 80]) and no fixed Reshape target: its
 * heads reshape to [1, -1, K] or to a shape computed with {@code Shape}. Inputs must be multiples
 * of 32 (stride 32) so each ×2 upsampling meets the finer map exactly.
 */
public final class DynamicImageSize {
    public static final String HEIGHT_DIM = "height";
    public static final String WIDTH_DIM = "width";

    private static final int GRAPH_VALUE_INFO = 13;
    private static final int TENSOR_INT64_DATA = 7;
    private static final int NODE_NAME = 3;
    private static final long ONNX_FLOAT = 1;

    private DynamicImageSize() {}

    /** The dynamic-size twin of {@code fixed}, an ONNX model with one fixed NCHW image input. */
    public static byte[] derive(byte[] fixed) {
        try {
            UnknownFieldSet model = UnknownFieldSet.parseFrom(fixed);
            UnknownFieldSet graph = UnknownFieldSet.parseFrom(single(model, MODEL_GRAPH));
            Map<String, long[]> constants = int64Constants(graph);
            checkReshapes(graph, constants);
            int[] images = {0};
            UnknownFieldSet.Builder g = graph.toBuilder();
            g.addField(
                    GRAPH_INPUT,
                    rewriteEach(
                            graph,
                            GRAPH_INPUT,
                            v -> {
                                // Older exporters list the weights among the inputs too.
                                if (isWeight(graph, string(v, VALUE_NAME))) {
                                    return v;
                                }
                                images[0]++;
                                return anySize(v);
                            }));
            if (images[0] != 1) {
                throw new ModelException(
                        "expected one image input, found " + images[0] + " non-weight inputs");
            }
            List<String> frozen = new ArrayList<>();
            g.addField(GRAPH_NODE, sizedUpsamples(graph, floatConstants(graph), frozen));
            // The frozen sizes are read by nothing now: drop them (ONNX Runtime warns otherwise).
            UnknownFieldSet.Field.Builder weights = UnknownFieldSet.Field.newBuilder();
            for (ByteString t : graph.getField(GRAPH_INITIALIZER).getLengthDelimitedList()) {
                if (!frozen.contains(string(UnknownFieldSet.parseFrom(t), TENSOR_NAME))) {
                    weights.addLengthDelimited(t);
                }
            }
            g.addField(GRAPH_INITIALIZER, weights.build());
            g.clearField(GRAPH_VALUE_INFO);
            return model.toBuilder()
                    .addField(MODEL_GRAPH, lengthDelimited(g.build().toByteString()))
                    .build()
                    .toByteArray();
        } catch (IOException e) {
            throw new ModelException("not an ONNX file: " + e.getMessage(), e);
        }
    }

    /** ValueInfoProto [N, C, H, W] with fixed H and W, made [N, C, height, width]. */
    private static UnknownFieldSet anySize(UnknownFieldSet value)
            throws InvalidProtocolBufferException {
        UnknownFieldSet type = UnknownFieldSet.parseFrom(single(value, VALUE_TYPE));
        UnknownFieldSet tensor = UnknownFieldSet.parseFrom(single(type, TYPE_TENSOR));
        UnknownFieldSet shape = UnknownFieldSet.parseFrom(single(tensor, TENSOR_TYPE_SHAPE));
        List<ByteString> dims = shape.getField(SHAPE_DIM).getLengthDelimitedList();
        if (dims.size() != 4 || dimValue(dims.get(2)) <= 0 || dimValue(dims.get(3)) <= 0) {
            throw new ModelException(
                    "'"
                            + string(value, VALUE_NAME)
                            + "' is not an NCHW image input with a fixed height and width");
        }
        List<ByteString> changed = new ArrayList<>(dims);
        changed.set(2, symbolic(HEIGHT_DIM));
        changed.set(3, symbolic(WIDTH_DIM));
        UnknownFieldSet.Field.Builder dimField = UnknownFieldSet.Field.newBuilder();
        changed.forEach(dimField::addLengthDelimited);
        UnknownFieldSet newShape = shape.toBuilder().addField(SHAPE_DIM, dimField.build()).build();
        UnknownFieldSet newTensor = replace(tensor, TENSOR_TYPE_SHAPE, newShape.toByteString());
        UnknownFieldSet newType = replace(type, TYPE_TENSOR, newTensor.toByteString());
        return replace(value, VALUE_TYPE, newType.toByteString());
    }

    private static ByteString symbolic(String name) {
        return UnknownFieldSet.newBuilder()
                .addField(DIM_PARAM, lengthDelimited(ByteString.copyFromUtf8(name)))
                .build()
                .toByteString();
    }

    /**
     * The nodes, with each traced {@code F.interpolate(x, size=lateral.shape[2:])} put back: the
     * tracer wrote the lateral map's size at export (e.g. 40×40) as a float constant, divided by
     * {@code x}'s runtime size to give the Upsample's scales; the division's constant becomes the
     * lateral map's runtime size ({@code Cast(Slice(Shape(lateral)))}, the same three nodes the
     * graph already uses for {@code x}), so at the export size the scales are bit for bit what they
     * were. The lateral map is the other input of the {@code Add} that takes the upsampled map (the
     * FPN's merge). A float constant that feeds an upsampling any other way is refused.
     */
    private static UnknownFieldSet.Field sizedUpsamples(
            UnknownFieldSet graph, Map<String, float[]> floats, List<String> frozen)
            throws InvalidProtocolBufferException {
        List<UnknownFieldSet> nodes = new ArrayList<>();
        for (ByteString n : graph.getField(GRAPH_NODE).getLengthDelimitedList()) {
            nodes.add(UnknownFieldSet.parseFrom(n));
        }
        Map<String, UnknownFieldSet> writer = new HashMap<>();
        Map<String, List<UnknownFieldSet>> readers = new HashMap<>();
        for (UnknownFieldSet node : nodes) {
            strings(node, NODE_OUTPUT).forEach(o -> writer.put(o, node));
            for (String in : strings(node, NODE_INPUT)) {
                readers.computeIfAbsent(in, k -> new ArrayList<>()).add(node);
            }
        }
        UnknownFieldSet.Field.Builder out = UnknownFieldSet.Field.newBuilder();
        for (UnknownFieldSet node : nodes) {
            List<String> in = strings(node, NODE_INPUT);
            if (!"Div".equals(string(node, NODE_OP_TYPE))
                    || in.size() != 2
                    || !floats.containsKey(in.get(0))) {
                out.addLengthDelimited(node.toByteString());
                continue;
            }
            String div = string(node, NODE_OUTPUT);
            UnknownFieldSet upsample = upsampleFed(div, readers);
            if (upsample == null) {
                out.addLengthDelimited(node.toByteString());
                continue;
            }
            String lateral = lateralOf(upsample, readers, div);
            // in[1] = Cast(Slice(Shape(x))): the same chain, applied to the lateral map.
            UnknownFieldSet cast = writer.get(in.get(1));
            UnknownFieldSet slice =
                    cast == null ? null : writer.get(strings(cast, NODE_INPUT).get(0));
            UnknownFieldSet shape =
                    slice == null ? null : writer.get(strings(slice, NODE_INPUT).get(0));
            if (!"Cast".equals(string(cast, NODE_OP_TYPE))
                    || !"Slice".equals(string(slice, NODE_OP_TYPE))
                    || !"Shape".equals(string(shape, NODE_OP_TYPE))) {
                throw new ModelException(
                        "cannot make the input size dynamic: the Div writing '"
                                + div
                                + "' divides the constant size "
                                + Arrays.toString(floats.get(in.get(0)))
                                + " by something other than Cast(Slice(Shape(x)))");
            }
            String prefix = lateral + "_size_";
            if (readers.get(in.get(0)).size() == 1) {
                frozen.add(in.get(0));
            }
            out.addLengthDelimited(renamed(shape, List.of(lateral), prefix + "shape"));
            out.addLengthDelimited(renamed(slice, List.of(prefix + "shape"), prefix + "slice"));
            out.addLengthDelimited(renamed(cast, List.of(prefix + "slice"), prefix + "float"));
            out.addLengthDelimited(
                    node.toBuilder()
                            .addField(
                                    NODE_INPUT,
                                    UnknownFieldSet.Field.newBuilder()
                                            .addLengthDelimited(
                                                    ByteString.copyFromUtf8(prefix + "float"))
                                            .addLengthDelimited(ByteString.copyFromUtf8(in.get(1)))
                                            .build())
                            .build()
                            .toByteString());
        }
        return out.build();
    }

    /** The Upsample or Resize whose scales are Concat(..., value), or null. */
    private static UnknownFieldSet upsampleFed(
            String value, Map<String, List<UnknownFieldSet>> readers) {
        for (UnknownFieldSet concat : readers.getOrDefault(value, List.of())) {
            if (!"Concat".equals(string(concat, NODE_OP_TYPE))) {
                continue;
            }
            for (UnknownFieldSet up :
                    readers.getOrDefault(string(concat, NODE_OUTPUT), List.of())) {
                String op = string(up, NODE_OP_TYPE);
                if ("Upsample".equals(op) || "Resize".equals(op)) {
                    return up;
                }
            }
        }
        return null;
    }

    /** The other input of the single Add that takes the upsampled map. */
    private static String lateralOf(
            UnknownFieldSet upsample, Map<String, List<UnknownFieldSet>> readers, String div) {
        String up = string(upsample, NODE_OUTPUT);
        List<UnknownFieldSet> adds =
                readers.getOrDefault(up, List.of()).stream()
                        .filter(n -> "Add".equals(string(n, NODE_OP_TYPE)))
                        .toList();
        if (adds.size() != 1 || readers.get(up).size() != 1) {
            throw new ModelException(
                    "cannot make the input size dynamic: the upsampling scaled by '"
                            + div
                            + "' (a constant size) does not feed one Add whose other input gives"
                            + " the size");
        }
        List<String> in = strings(adds.get(0), NODE_INPUT);
        return in.get(0).equals(up) ? in.get(1) : in.get(0);
    }

    /** A copy of {@code node} reading {@code inputs}, writing {@code output}, named after it. */
    private static ByteString renamed(UnknownFieldSet node, List<String> inputs, String output) {
        UnknownFieldSet.Field.Builder in = UnknownFieldSet.Field.newBuilder();
        inputs.forEach(i -> in.addLengthDelimited(ByteString.copyFromUtf8(i)));
        return node.toBuilder()
                .addField(NODE_INPUT, in.build())
                .addField(NODE_OUTPUT, lengthDelimited(ByteString.copyFromUtf8(output)))
                .addField(NODE_NAME, lengthDelimited(ByteString.copyFromUtf8(output)))
                .build()
                .toByteString();
    }

    /** FLOAT tensors held by initializers and Constant nodes, by name. */
    private static Map<String, float[]> floatConstants(UnknownFieldSet graph) throws IOException {
        Map<String, float[]> out = new HashMap<>();
        for (Map.Entry<String, UnknownFieldSet> e : constantTensors(graph).entrySet()) {
            UnknownFieldSet tensor = e.getValue();
            List<Long> type = tensor.getField(TENSOR_DATA_TYPE).getVarintList();
            List<ByteString> raw = tensor.getField(TENSOR_RAW_DATA).getLengthDelimitedList();
            if (type.size() == 1 && type.get(0) == ONNX_FLOAT && raw.size() == 1) {
                ByteBuffer b = raw.get(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                float[] v = new float[b.remaining() / 4];
                for (int i = 0; i < v.length; i++) {
                    v[i] = b.getFloat();
                }
                out.put(e.getKey(), v);
            }
        }
        return out;
    }

    /** Refuses a Reshape whose constant target has no -1: it fixes the element count. */
    private static void checkReshapes(UnknownFieldSet graph, Map<String, long[]> constants)
            throws InvalidProtocolBufferException {
        for (ByteString n : graph.getField(GRAPH_NODE).getLengthDelimitedList()) {
            UnknownFieldSet node = UnknownFieldSet.parseFrom(n);
            if (!"Reshape".equals(string(node, NODE_OP_TYPE))) {
                continue;
            }
            List<String> in = strings(node, NODE_INPUT);
            long[] target = in.size() < 2 ? null : constants.get(in.get(1));
            if (target != null && Arrays.stream(target).noneMatch(d -> d == -1)) {
                throw new ModelException(
                        "cannot make the input size dynamic: the Reshape writing '"
                                + strings(node, NODE_OUTPUT)
                                + "' has the constant target "
                                + Arrays.toString(target)
                                + ", which fixes the element count for one input size");
            }
        }
    }

    /** INT64 tensors held by initializers and Constant nodes, by name. */
    private static Map<String, long[]> int64Constants(UnknownFieldSet graph) throws IOException {
        Map<String, long[]> out = new HashMap<>();
        for (Map.Entry<String, UnknownFieldSet> e : constantTensors(graph).entrySet()) {
            putInt64(out, e.getKey(), e.getValue());
        }
        return out;
    }

    /** Tensors held by initializers and Constant nodes, by name. */
    private static Map<String, UnknownFieldSet> constantTensors(UnknownFieldSet graph)
            throws IOException {
        Map<String, UnknownFieldSet> out = new HashMap<>();
        for (ByteString t : graph.getField(GRAPH_INITIALIZER).getLengthDelimitedList()) {
            UnknownFieldSet tensor = UnknownFieldSet.parseFrom(t);
            out.put(string(tensor, TENSOR_NAME), tensor);
        }
        for (ByteString n : graph.getField(GRAPH_NODE).getLengthDelimitedList()) {
            UnknownFieldSet node = UnknownFieldSet.parseFrom(n);
            List<ByteString> attributes = node.getField(NODE_ATTRIBUTE).getLengthDelimitedList();
            if ("Constant".equals(string(node, NODE_OP_TYPE)) && attributes.size() == 1) {
                UnknownFieldSet value = UnknownFieldSet.parseFrom(attributes.get(0));
                List<ByteString> tensor =
                        value.getField(DynamicBatch.ATTRIBUTE_TENSOR).getLengthDelimitedList();
                if (tensor.size() == 1) {
                    out.put(string(node, NODE_OUTPUT), UnknownFieldSet.parseFrom(tensor.get(0)));
                }
            }
        }
        return out;
    }

    private static void putInt64(Map<String, long[]> out, String name, UnknownFieldSet tensor)
            throws IOException {
        List<Long> type = tensor.getField(TENSOR_DATA_TYPE).getVarintList();
        if (type.size() != 1 || type.get(0) != ONNX_INT64) {
            return;
        }
        List<ByteString> raw = tensor.getField(TENSOR_RAW_DATA).getLengthDelimitedList();
        if (raw.size() == 1) {
            ByteBuffer b = raw.get(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            long[] v = new long[b.remaining() / 8];
            for (int i = 0; i < v.length; i++) {
                v[i] = b.getLong();
            }
            out.put(name, v);
            return;
        }
        // int64_data: packed (proto3 writers) or one varint per value.
        List<Long> v = new ArrayList<>(tensor.getField(TENSOR_INT64_DATA).getVarintList());
        for (ByteString packed : tensor.getField(TENSOR_INT64_DATA).getLengthDelimitedList()) {
            CodedInputStream in = packed.newCodedInput();
            while (!in.isAtEnd()) {
                v.add(in.readInt64());
            }
        }
        out.put(name, v.stream().mapToLong(Long::longValue).toArray());
    }

    private static boolean isWeight(UnknownFieldSet graph, String name)
            throws InvalidProtocolBufferException {
        for (ByteString t : graph.getField(GRAPH_INITIALIZER).getLengthDelimitedList()) {
            if (name.equals(string(UnknownFieldSet.parseFrom(t), TENSOR_NAME))) {
                return true;
            }
        }
        return false;
    }
}
