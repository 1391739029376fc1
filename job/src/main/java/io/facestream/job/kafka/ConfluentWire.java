package io.facestream.job.kafka;

import java.nio.ByteBuffer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.formats.avro.AvroSerializationSchema;

/**
 * The Confluent wire format: byte 0 is the magic byte 0, bytes 1-4 the schema's registry id as a
 * big-endian int, then the Avro binary encoding of the record (what Confluent's {@code
 * KafkaAvroSerializer} writes and its deserializers expect).
 */
public final class ConfluentWire {
    public static final byte MAGIC = 0;
    public static final int HEADER_BYTES = 5;

    private ConfluentWire() {}

    /** {@code avro} with the header of schema {@code id} in front. */
    public static byte[] frame(int id, byte[] avro) {
        return ByteBuffer.allocate(HEADER_BYTES + avro.length)
                .put(MAGIC)
                .putInt(id)
                .put(avro)
                .array();
    }

    /** The schema id of a framed value; throws saying why when it is not framed. */
    public static int schemaId(byte[] value) {
        if (value.length < HEADER_BYTES) {
            throw new IllegalArgumentException(
                    "no Confluent wire-format header: "
                            + value.length
                            + " bytes, fewer than the 5-byte header");
        }
        if (value[0] != MAGIC) {
            throw new IllegalArgumentException(
                    "no Confluent wire-format header: magic byte is "
                            + value[0]
                            + ", not 0 (plain Avro? see kafka.wire-format)");
        }
        return ByteBuffer.wrap(value, 1, 4).getInt();
    }

    /** Writes a specific record as header + Avro binary, with an id registered at submit. */
    public static final class Serializer<T extends SpecificRecord>
            implements SerializationSchema<T> {
        private static final long serialVersionUID = 1L;
        private final int id;
        private final AvroSerializationSchema<T> avro;

        public Serializer(int id, Class<T> type) {
            this.id = id;
            this.avro = AvroSerializationSchema.forSpecific(type);
        }

        @Override
        public void open(InitializationContext context) throws Exception {
            avro.open(context);
        }

        @Override
        public byte[] serialize(T element) {
            return frame(id, avro.serialize(element));
        }

        public int schemaId() {
            return id;
        }
    }
}
