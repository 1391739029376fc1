package io.facestream.examples.consumer;

import io.facestream.schema.FaceIdentity;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;

/**
 * The Confluent wire format's decoder (see {@link IdentityDecoder#confluent}): reads the 5-byte
 * header, keeps one resolving reader per writer schema id.
 */
final class ConfluentIdentityDecoder implements IdentityDecoder {
    static final int HEADER_BYTES = 5;

    private final RegistrySchemas registry;
    private final Map<Integer, SpecificDatumReader<FaceIdentity>> readers = new HashMap<>();
    private BinaryDecoder decoder;

    ConfluentIdentityDecoder(RegistrySchemas registry) {
        this.registry = registry;
    }

    @Override
    public FaceIdentity decode(byte[] value) throws IOException {
        if (value == null || value.length < HEADER_BYTES) {
            throw new IOException(
                    "not the Confluent wire format: "
                            + (value == null ? "no value" : value.length + " bytes")
                            + ", the header alone is 5");
        }
        if (value[0] != 0) {
            throw new IOException(
                    "not the Confluent wire format: magic byte is "
                            + value[0]
                            + ", not 0 (plain Avro? the job's kafka.wire-format decides)");
        }
        int id = ByteBuffer.wrap(value, 1, 4).getInt();
        SpecificDatumReader<FaceIdentity> reader = readers.get(id);
        if (reader == null) {
            reader = new SpecificDatumReader<>(registry.schema(id), FaceIdentity.getClassSchema());
            readers.put(id, reader);
        }
        decoder =
                DecoderFactory.get()
                        .binaryDecoder(value, HEADER_BYTES, value.length - HEADER_BYTES, decoder);
        return reader.read(null, decoder);
    }
}
