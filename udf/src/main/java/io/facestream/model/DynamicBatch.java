package io.facestream.model;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Derives a dynamic-batch embedder from its upstream batch-1 ONNX file: the edit that {@code
 * ../shared/models/MODELS.md} describes, so {@code models fetch} can rebuild the default embedders
 * (which exist nowhere upstream) from the files that do.
 *
 * <p>The edit: the first dimension of every graph input and output that is fixed to 1 becomes the
 * symbolic dimension {@code batch}, and the final {@code Reshape}'s target {@code [1, -1]} becomes
 * {@code [-1, D]} (D = the output's second dimension). Nothing else changes: every other message is
 * kept as its original bytes, so the result is byte-identical to the published dynamic-batch files
 * (their sha256 in the manifest is checked by the caller).
 *
 * <p>The ONNX protobuf is walked without its schema ({@link UnknownFieldSet}): only the few field
 * numbers below are read, from {@code onnx.proto}. A file that does not have that shape is refused
 * with a {@link ModelException}.
 */
public final class DynamicBatch {
    public static final String BATCH_DIM = "batch";

    // Field numbers from onnx.proto (shared with DynamicImageSize).
    static final int MODEL_GRAPH = 7;
    static final int GRAPH_NODE = 1;
    static final int GRAPH_INITIALIZER = 5;
    static final int GRAPH_INPUT = 11;
    static final int GRAPH_OUTPUT = 12;
    static final int NODE_INPUT = 1;
    static final int NODE_OUTPUT = 2;
    static final int NODE_OP_TYPE = 4;
    static final int NODE_ATTRIBUTE = 5;
    static final int ATTRIBUTE_TENSOR = 5;
    static final int VALUE_NAME = 1;
    static final int VALUE_TYPE = 2;
    static final int TYPE_TENSOR = 1;
    static final int TENSOR_TYPE_SHAPE = 2;
    static final int SHAPE_DIM = 1;
    static final int DIM_VALUE = 1;
    static final int DIM_PARAM = 2;
    static final int TENSOR_DATA_TYPE = 2;
    static final int TENSOR_NAME = 8;
    static final int TENSOR_RAW_DATA = 9;
    static final long ONNX_INT64 = 7;

    private DynamicBatch() {}

    /** The dynamic-batch twin of {@code batch1}, an ONNX embedder with one [1, D] output. */
    public static byte[] derive(byte[] batch1) {
        try {
            UnknownFieldSet model = UnknownFieldSet.parseFrom(batch1);
            UnknownFieldSet graph = UnknownFieldSet.parseFrom(single(model, MODEL_GRAPH));
            List<String> outputs = new ArrayList<>();
            List<String> weights = new ArrayList<>();
            for (ByteString t : graph.getField(GRAPH_INITIALIZER).getLengthDelimitedList()) {
                weights.add(string(UnknownFieldSet.parseFrom(t), TENSOR_NAME));
            }
            long[] width = {-1};
            UnknownFieldSet.Builder g = graph.toBuilder();
            // Older exporters list the weights among the inputs too: those keep their shape.
            g.addField(
                    GRAPH_INPUT,
                    rewriteEach(
                            graph,
                            GRAPH_INPUT,
                            v ->
                                    weights.contains(string(v, VALUE_NAME))
                                            ? v
                                            : batchFirst(v, null)));
            g.addField(
                    GRAPH_OUTPUT,
                    rewriteEach(
                            graph,
                            GRAPH_OUTPUT,
                            v -> {
                                outputs.add(string(v, VALUE_NAME));
                                return batchFirst(v, width);
                            }));
            if (width[0] <= 0) {
                throw new ModelException("not a [1, D] embedder: no output of shape [1, D]");
            }
            String target = reshapeTarget(graph, outputs);
            // The target is an initializer (older torch.onnx) or a Constant node (newer).
            int[] edits = {0};
            g.addField(
                    GRAPH_INITIALIZER,
                    rewriteEach(
                            graph,
                            GRAPH_INITIALIZER,
                            t -> {
                                if (!target.equals(string(t, TENSOR_NAME))) {
                                    return t;
                                }
                                edits[0]++;
                                return anyBatch(t, target, width[0]);
                            }));
            g.addField(
                    GRAPH_NODE,
                    rewriteEach(
                            graph,
                            GRAPH_NODE,
                            n -> {
                                if (!"Constant".equals(string(n, NODE_OP_TYPE))
                                        || !target.equals(string(n, NODE_OUTPUT))) {
                                    return n;
                                }
                                edits[0]++;
                                return constantBatch(n, target, width[0]);
                            }));
            if (edits[0] != 1) {
                throw new ModelException(
                        "the output Reshape's target '" + target + "' was found " + edits[0] + "x");
            }
            return model.toBuilder()
                    .addField(MODEL_GRAPH, lengthDelimited(g.build().toByteString()))
                    .build()
                    .toByteArray();
        } catch (InvalidProtocolBufferException e) {
            throw new ModelException("not an ONNX file: " + e.getMessage(), e);
        }
    }

    /** ValueInfoProto with its first dimension 1 made {@value #BATCH_DIM}; records D in width. */
    private static UnknownFieldSet batchFirst(UnknownFieldSet value, long[] width)
            throws InvalidProtocolBufferException {
        UnknownFieldSet type = UnknownFieldSet.parseFrom(single(value, VALUE_TYPE));
        UnknownFieldSet tensor = UnknownFieldSet.parseFrom(single(type, TYPE_TENSOR));
        UnknownFieldSet shape = UnknownFieldSet.parseFrom(single(tensor, TENSOR_TYPE_SHAPE));
        List<ByteString> dims = shape.getField(SHAPE_DIM).getLengthDelimitedList();
        if (dims.isEmpty() || dimValue(dims.get(0)) != 1) {
            throw new ModelException(
                    "'" + string(value, VALUE_NAME) + "' does not have a batch dimension of 1");
        }
        if (width != null && dims.size() == 2) {
            width[0] = dimValue(dims.get(1));
        }
        List<ByteString> changed = new ArrayList<>(dims);
        changed.set(
                0,
                UnknownFieldSet.newBuilder()
                        .addField(DIM_PARAM, lengthDelimited(ByteString.copyFromUtf8(BATCH_DIM)))
                        .build()
                        .toByteString());
        UnknownFieldSet.Field.Builder dimField = UnknownFieldSet.Field.newBuilder();
        changed.forEach(dimField::addLengthDelimited);
        UnknownFieldSet newShape = shape.toBuilder().addField(SHAPE_DIM, dimField.build()).build();
        UnknownFieldSet newTensor = replace(tensor, TENSOR_TYPE_SHAPE, newShape.toByteString());
        UnknownFieldSet newType = replace(type, TYPE_TENSOR, newTensor.toByteString());
        return replace(value, VALUE_TYPE, newType.toByteString());
    }

    /** The name of the shape input of the Reshape that writes one of {@code outputs}. */
    private static String reshapeTarget(UnknownFieldSet graph, List<String> outputs)
            throws InvalidProtocolBufferException {
        for (ByteString n : graph.getField(GRAPH_NODE).getLengthDelimitedList()) {
            UnknownFieldSet node = UnknownFieldSet.parseFrom(n);
            if ("Reshape".equals(string(node, NODE_OP_TYPE))
                    && outputs.contains(strings(node, NODE_OUTPUT).get(0))) {
                return strings(node, NODE_INPUT).get(1);
            }
        }
        throw new ModelException("no Reshape writes the output " + outputs);
    }

    /** A Constant node whose value is the INT64 tensor [1, -1], made [-1, width]. */
    private static UnknownFieldSet constantBatch(UnknownFieldSet node, String name, long width)
            throws InvalidProtocolBufferException {
        List<ByteString> attributes = node.getField(NODE_ATTRIBUTE).getLengthDelimitedList();
        if (attributes.size() != 1) {
            throw new ModelException("the Constant '" + name + "' has no single value");
        }
        UnknownFieldSet value = UnknownFieldSet.parseFrom(attributes.get(0));
        UnknownFieldSet tensor = UnknownFieldSet.parseFrom(single(value, ATTRIBUTE_TENSOR));
        UnknownFieldSet changed =
                replace(value, ATTRIBUTE_TENSOR, anyBatch(tensor, name, width).toByteString());
        return replace(node, NODE_ATTRIBUTE, changed.toByteString());
    }

    /** An INT64 tensor [1, -1] made [-1, width]. */
    private static UnknownFieldSet anyBatch(UnknownFieldSet tensor, String name, long width) {
        ByteBuffer raw = single(tensor, TENSOR_RAW_DATA).asReadOnlyByteBuffer();
        raw.order(ByteOrder.LITTLE_ENDIAN);
        List<Long> type = tensor.getField(TENSOR_DATA_TYPE).getVarintList();
        if (type.size() != 1
                || type.get(0) != ONNX_INT64
                || raw.remaining() != 16
                || raw.getLong(0) != 1
                || raw.getLong(8) != -1) {
            throw new ModelException(
                    "the output Reshape's target '"
                            + name
                            + "' is not the INT64 [1, -1] this edit expects");
        }
        ByteBuffer changed = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        changed.putLong(-1).putLong(width).flip();
        return replace(tensor, TENSOR_RAW_DATA, ByteString.copyFrom(changed));
    }

    interface Rewrite {
        UnknownFieldSet apply(UnknownFieldSet message) throws InvalidProtocolBufferException;
    }

    static UnknownFieldSet.Field rewriteEach(UnknownFieldSet parent, int field, Rewrite r)
            throws InvalidProtocolBufferException {
        UnknownFieldSet.Field.Builder out = UnknownFieldSet.Field.newBuilder();
        for (ByteString b : parent.getField(field).getLengthDelimitedList()) {
            out.addLengthDelimited(r.apply(UnknownFieldSet.parseFrom(b)).toByteString());
        }
        return out.build();
    }

    static UnknownFieldSet replace(UnknownFieldSet message, int field, ByteString value) {
        return message.toBuilder().addField(field, lengthDelimited(value)).build();
    }

    static UnknownFieldSet.Field lengthDelimited(ByteString value) {
        return UnknownFieldSet.Field.newBuilder().addLengthDelimited(value).build();
    }

    static ByteString single(UnknownFieldSet message, int field) {
        List<ByteString> values = message.getField(field).getLengthDelimitedList();
        if (values.size() != 1) {
            throw new ModelException(
                    "unexpected ONNX structure: field " + field + " occurs " + values.size() + "x");
        }
        return values.get(0);
    }

    static String string(UnknownFieldSet message, int field) {
        List<String> all = strings(message, field);
        return all.isEmpty() ? null : all.get(0);
    }

    static List<String> strings(UnknownFieldSet message, int field) {
        return message.getField(field).getLengthDelimitedList().stream()
                .map(ByteString::toStringUtf8)
                .toList();
    }

    static long dimValue(ByteString dim) throws InvalidProtocolBufferException {
        List<Long> v = UnknownFieldSet.parseFrom(dim).getField(DIM_VALUE).getVarintList();
        return v.size() == 1 ? v.get(0) : -1;
    }
}
