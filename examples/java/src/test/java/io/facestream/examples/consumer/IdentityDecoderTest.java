package io.facestream.examples.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facestream.schema.Box;
import io.facestream.schema.FaceIdentity;
import io.facestream.schema.MatchStatus;
import io.facestream.schema.Point;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

/**
 * The decoders without a broker: plain Avro round-trips, and a value in the wrong format is refused
 * with a message that says so (the registry path runs against a real registry in the job's {@code
 * IdentityConsumersITCase}).
 */
class IdentityDecoderTest {
    static FaceIdentity identity() {
        Instant t = Instant.ofEpochMilli(1_700_000_000_000L);
        return FaceIdentity.newBuilder()
                .setCameraId("hamilton")
                .setFrameSequence(12)
                .setTimestamp(t)
                .setFaceIndex(0)
                .setFacesInFrame(1)
                .setBox(new Box(1f, 2f, 30f, 40f))
                .setLandmarks(List.of(new Point(5f, 6f)))
                .setDetectionScore(0.9f)
                .setStatus(MatchStatus.MATCHED)
                .setIdentity("lin_manuel_miranda")
                .setSimilarity(0.61f)
                .setDetectorModel("d")
                .setEmbedderModel("e")
                .setTrackId(3L)
                .setIngestTime(t)
                .setEmitTime(t)
                .build();
    }

    static byte[] avro(FaceIdentity i) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(FaceIdentity.class).write(i, enc);
        enc.flush();
        return out.toByteArray();
    }

    @Test
    void decodesPlainAvro() throws IOException {
        IdentityDecoder decoder = IdentityDecoder.plainAvro();
        assertThat(decoder.decode(avro(identity()))).isEqualTo(identity());
        // The decoder is reused across records.
        assertThat(decoder.decode(avro(identity())).getIdentity()).isEqualTo("lin_manuel_miranda");
    }

    @Test
    void refusesPlainAvroWhereTheConfluentFormatIsExpected() {
        // Nothing is fetched: the header is checked first.
        IdentityDecoder decoder = IdentityDecoder.confluent("http://127.0.0.1:1/unused");
        assertThatThrownBy(() -> decoder.decode(avro(identity())))
                .isInstanceOf(IOException.class)
                // "hamilton" is 8 chars: Avro writes its length as the zig-zag varint 16.
                .hasMessageStartingWith("not the Confluent wire format: magic byte is 16, not 0");
        assertThatThrownBy(() -> decoder.decode(new byte[] {0, 0}))
                .hasMessage("not the Confluent wire format: 2 bytes, the header alone is 5");
    }
}
