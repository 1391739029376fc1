package io.facestream.job.kafka;

import io.facestream.flink.DeadLetters;
import io.facestream.schema.DeadLetter;
import io.facestream.schema.Frame;
import io.facestream.schema.internal.RawRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Parses the frames topic's values into {@link Frame}s; anything else becomes a {@link DeadLetter}.
 *
 * <p>Contract: a value is a frame when it is exactly one Avro binary record written with {@link
 * Frame#getClassSchema()} (what {@code AvroSerializationSchema.forSpecific(Frame.class)} writes, no
 * container header, no schema-registry prefix) with a positive width and height and non-empty data.
 * Every other value (a null, bytes that are no Avro, a record of another schema, an invalid frame)
 * goes to {@link #DEAD_LETTERS} with stage {@value #STAGE}, source {@code topic/partition/offset},
 * the reason, and at most {@value #MAX_PAYLOAD_BYTES} bytes of the value; the {@code deadLetters}
 * counter counts them. Nothing is thrown for bad input and nothing is dropped, so one bad producer
 * cannot stop the job.
 *
 * <p>With a {@link SchemaRegistry} (the Confluent wire format) a value must instead be the magic
 * byte 0, a schema id the registry knows, and the Avro binary of that (writer) schema, which Avro's
 * schema resolution reads as a {@link Frame}; a value without the header or with an unknown id is a
 * dead letter saying so. A registry that does not answer is no fault of the record: that fails the
 * task (and Flink restarts it), as an unreachable broker would.
 */
public class FrameParser extends ProcessFunction<RawRecord, Frame>
        implements ResultTypeQueryable<Frame> {
    private static final long serialVersionUID = 1L;

    /** Side output of the records that are no valid frame. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS = DeadLetters.TAG;

    /** Enough of a bad value to recognise it, bounded for a multi-megabyte one. */
    public static final int MAX_PAYLOAD_BYTES = DeadLetters.MAX_PAYLOAD;

    public static final String STAGE = "parse";

    private final SchemaRegistry registry;

    private transient SpecificDatumReader<Frame> reader;
    private transient Map<Integer, SpecificDatumReader<Frame>> readers;
    private transient BinaryDecoder decoder;
    private transient Counter deadLetters;

    /** Plain Avro binary values. */
    public FrameParser() {
        this(null);
    }

    /** Confluent wire-format values when {@code registry} is not null, else plain Avro. */
    public FrameParser(SchemaRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void open(OpenContext openContext) {
        reader = new SpecificDatumReader<>(Frame.class);
        readers = new HashMap<>();
        deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
    }

    @Override
    public void processElement(RawRecord record, Context ctx, Collector<Frame> out) {
        byte[] value = record.getValue() == null ? null : bytes(record.getValue());
        Frame frame;
        try {
            frame = parse(value);
        } catch (RegistryUnavailable e) {
            throw e;
        } catch (Exception e) {
            // Any failure here is caused by the record, not by the job: dead-letter it and go on.
            ctx.output(DEAD_LETTERS, deadLetter(record, value, e));
            deadLetters.inc();
            return;
        }
        out.collect(frame);
    }

    private Frame parse(byte[] value) throws Exception {
        if (value == null) {
            throw new InvalidFrameException("null value (a tombstone), no frame");
        }
        Frame frame = registry == null ? plain(value) : framed(value);
        if (frame.getWidth() <= 0 || frame.getHeight() <= 0) {
            throw new InvalidFrameException(
                    "frame size "
                            + frame.getWidth()
                            + "x"
                            + frame.getHeight()
                            + " is not positive");
        }
        if (!frame.getData().hasRemaining()) {
            throw new InvalidFrameException("frame data is empty");
        }
        return frame;
    }

    private Frame plain(byte[] value) throws IOException {
        AvroBinaryScan.check(Frame.getClassSchema(), value);
        decoder = DecoderFactory.get().binaryDecoder(value, decoder);
        return reader.read(null, decoder);
    }

    private Frame framed(byte[] value) throws IOException, InvalidFrameException {
        int id = ConfluentWire.schemaId(value);
        Schema writer;
        try {
            writer = registry.schema(id);
        } catch (SchemaRegistry.UnknownSchemaException e) {
            throw new InvalidFrameException(e.getMessage());
        } catch (IOException e) {
            throw new RegistryUnavailable(e);
        }
        byte[] avro = Arrays.copyOfRange(value, ConfluentWire.HEADER_BYTES, value.length);
        AvroBinaryScan.check(writer, avro);
        SpecificDatumReader<Frame> r =
                readers.computeIfAbsent(
                        id, k -> new SpecificDatumReader<>(writer, Frame.getClassSchema()));
        decoder = DecoderFactory.get().binaryDecoder(avro, decoder);
        return r.read(null, decoder);
    }

    /** The registry did not answer: a failure of the job's surroundings, not of the record. */
    static final class RegistryUnavailable extends RuntimeException {
        RegistryUnavailable(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    static DeadLetter deadLetter(RawRecord record, byte[] value, Exception e) {
        return DeadLetters.of(
                record.getTopic() + "/" + record.getPartition() + "/" + record.getOffset(),
                STAGE,
                e.getClass().getName(),
                "not a valid Avro Frame: "
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
                value);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    @Override
    public TypeInformation<Frame> getProducedType() {
        return new AvroTypeInfo<>(Frame.class);
    }

    /** The {@code deadLetters} counter, for tests; null before {@link #open}. */
    Counter deadLettersCounter() {
        return deadLetters;
    }
}
