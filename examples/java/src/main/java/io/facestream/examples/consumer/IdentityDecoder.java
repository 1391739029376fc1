package io.facestream.examples.consumer;

import io.facestream.schema.FaceIdentity;
import java.io.IOException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;

/**
 * Turns the value of one identity-topic record into a {@link FaceIdentity}, for the wire format the
 * job was configured with ({@code kafka.wire-format}). Not thread-safe: one per consumer thread.
 */
public interface IdentityDecoder {

    FaceIdentity decode(byte[] value) throws IOException;

    /**
     * {@code kafka.wire-format: avro}: the value is the Avro binary encoding of {@code
     * FaceIdentity}, no header. The writer's schema is not in the record, so it is taken to be the
     * reader's own, which holds while the job and this consumer use the same facestream-schemas
     * version (with another version, use the Confluent format: it names the writer's schema).
     */
    static IdentityDecoder plainAvro() {
        SpecificDatumReader<FaceIdentity> reader = new SpecificDatumReader<>(FaceIdentity.class);
        return new IdentityDecoder() {
            private BinaryDecoder decoder;

            @Override
            public FaceIdentity decode(byte[] value) throws IOException {
                decoder = DecoderFactory.get().binaryDecoder(value, decoder);
                return reader.read(null, decoder);
            }
        };
    }

    /**
     * {@code kafka.wire-format: confluent}: magic byte 0, the 4-byte big-endian id of the writer's
     * schema in the registry, then the Avro binary. The writer's schema is fetched once per id from
     * the registry's Confluent-compatible REST API at {@code registryUrl} and resolved against this
     * consumer's {@code FaceIdentity}, so records written with another compatible version decode.
     */
    static IdentityDecoder confluent(String registryUrl) {
        return new ConfluentIdentityDecoder(new RegistrySchemas(registryUrl));
    }
}
