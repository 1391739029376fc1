package io.facestream.flink;

import io.facestream.schema.DeadLetter;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.OutputTag;

/**
 * The dead-letter side output every stage shares, and how a failure becomes a {@link DeadLetter}.
 */
public final class DeadLetters {
    /** Side output of every stage that can meet bad input. */
    public static final OutputTag<DeadLetter> TAG =
            new OutputTag<>("dead-letters", new AvroTypeInfo<>(DeadLetter.class));

    /** Payloads are cut here: enough to recognise the input, bounded memory for a bomb. */
    public static final int MAX_PAYLOAD = 4096;

    private DeadLetters() {}

    public static DeadLetter of(String source, String stage, Throwable error, byte[] payload) {
        return of(
                source,
                stage,
                error.getClass().getName(),
                String.valueOf(error.getMessage()),
                payload);
    }

    public static DeadLetter of(
            String source, String stage, String errorClass, String message, byte[] payload) {
        boolean cut = payload != null && payload.length > MAX_PAYLOAD;
        return DeadLetter.newBuilder()
                .setSource(source)
                .setStage(stage)
                .setErrorClass(errorClass)
                .setErrorMessage(message)
                .setPayload(
                        payload == null
                                ? null
                                : ByteBuffer.wrap(
                                        cut ? Arrays.copyOf(payload, MAX_PAYLOAD) : payload))
                .setPayloadTruncated(cut)
                .setTimestamp(java.time.Instant.now())
                .build();
    }
}
