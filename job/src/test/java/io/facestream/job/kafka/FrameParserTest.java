package io.facestream.job.kafka;

import static io.facestream.job.kafka.TestFrames.avro;
import static io.facestream.job.kafka.TestFrames.frame;
import static org.assertj.core.api.Assertions.assertThat;

import io.facestream.schema.DeadLetter;
import io.facestream.schema.Frame;
import io.facestream.schema.internal.RawRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link FrameParser} in an operator harness: frames pass, everything else is a dead letter. */
class FrameParserTest {
    private FrameParser parser;
    private OneInputStreamOperatorTestHarness<RawRecord, Frame> harness;
    private long offset;

    @BeforeEach
    void open() throws Exception {
        parser = new FrameParser();
        harness = new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(parser));
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        harness.getExecutionConfig().configure(conf, getClass().getClassLoader());
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void emitsAValidFrameUnchanged() throws Exception {
        Frame frame = frame("cam-1", 7);
        send(avro(frame));
        assertThat(harness.extractOutputValues()).containsExactly(frame);
        assertThat(deadLetters()).isEmpty();
        assertThat(parser.deadLettersCounter().getCount()).isZero();
    }

    @Test
    void deadLettersRandomBytes() throws Exception {
        byte[] noise = new byte[300];
        new Random(42).nextBytes(noise);
        DeadLetter d = onlyDeadLetterFor(noise);
        assertThat(d.getPayload()).isEqualTo(ByteBuffer.wrap(noise));
        assertThat(d.getPayloadTruncated()).isFalse();
    }

    @Test
    void deadLettersText() throws Exception {
        DeadLetter d =
                onlyDeadLetterFor("hello, this is not Avro".getBytes(StandardCharsets.UTF_8));
        assertThat(d.getErrorClass()).isEqualTo("java.io.EOFException");
        assertThat(d.getErrorMessage())
                .contains("string length 52 at byte 0 runs past the 23-byte value");
    }

    @Test
    void refusesALengthPastTheEndBeforeAllocatingIt() throws Exception {
        // A varint claiming a 1 GiB camera id: Avro's decoder would allocate it first.
        byte[] bomb = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08, 'x'};
        DeadLetter d = onlyDeadLetterFor(bomb);
        assertThat(d.getErrorMessage()).contains("string length 1073741824 at byte 0 runs past");
    }

    @Test
    void deadLettersAnAvroRecordOfAnotherSchema() throws Exception {
        DeadLetter d = onlyDeadLetterFor(avro(TestFrames.someDeadLetter()));
        assertThat(d.getErrorMessage()).startsWith("not a valid Avro Frame: ");
    }

    @Test
    void deadLettersTrailingBytesAfterAFrame() throws Exception {
        byte[] frame = avro(frame("cam-1", 1));
        byte[] longer = java.util.Arrays.copyOf(frame, frame.length + 3);
        DeadLetter d = onlyDeadLetterFor(longer);
        assertThat(d.getErrorMessage()).contains("3 bytes left after a complete Frame record");
    }

    @Test
    void deadLettersANullValue() throws Exception {
        DeadLetter d = onlyDeadLetterFor(null);
        assertThat(d.getErrorClass()).isEqualTo(InvalidFrameException.class.getName());
        assertThat(d.getErrorMessage()).contains("null value");
        assertThat(d.getPayload()).isNull();
    }

    @Test
    void deadLettersAFrameOfWidthZero() throws Exception {
        DeadLetter d = onlyDeadLetterFor(avro(frame("cam-1", 3, 0, TestFrames.JPEG)));
        assertThat(d.getErrorClass()).isEqualTo(InvalidFrameException.class.getName());
        assertThat(d.getErrorMessage()).contains("frame size 0x480 is not positive");
        assertThat(d.getPayloadTruncated()).isTrue();
        assertThat(d.getPayload().remaining()).isEqualTo(FrameParser.MAX_PAYLOAD_BYTES);
    }

    @Test
    void deadLettersAFrameWithoutData() throws Exception {
        DeadLetter d = onlyDeadLetterFor(avro(frame("cam-1", 4, 640, new byte[0])));
        assertThat(d.getErrorMessage()).contains("frame data is empty");
    }

    @Test
    void keepsGoingAfterBadRecords() throws Exception {
        send("junk".getBytes(StandardCharsets.UTF_8));
        send(null);
        Frame frame = frame("cam-2", 9);
        send(avro(frame));
        assertThat(harness.extractOutputValues()).containsExactly(frame);
        assertThat(deadLetters())
                .extracting(DeadLetter::getSource)
                .containsExactly("frames/3/100", "frames/3/101");
        assertThat(parser.deadLettersCounter().getCount()).isEqualTo(2);
    }

    /** Sends the value, expects no frame and exactly one dead letter, checks its common fields. */
    private DeadLetter onlyDeadLetterFor(byte[] value) throws Exception {
        send(value);
        assertThat(harness.extractOutputValues()).isEmpty();
        List<DeadLetter> out = deadLetters();
        assertThat(out).hasSize(1);
        DeadLetter d = out.get(0);
        assertThat(d.getSource()).isEqualTo("frames/3/" + (100 + offset - 1));
        assertThat(d.getStage()).isEqualTo("parse");
        assertThat(d.getErrorMessage()).startsWith("not a valid Avro Frame: ");
        assertThat(parser.deadLettersCounter().getCount()).isEqualTo(1);
        System.out.println(d.getErrorClass() + ": " + d.getErrorMessage());
        return d;
    }

    private void send(byte[] value) throws Exception {
        harness.processElement(
                new StreamRecord<>(
                        RawRecord.newBuilder()
                                .setTopic("frames")
                                .setPartition(3)
                                .setOffset(100 + offset++)
                                .setTimestamp(1_700_000_000_000L)
                                .setValue(value == null ? null : ByteBuffer.wrap(value))
                                .build()));
    }

    private List<DeadLetter> deadLetters() {
        return harness.getSideOutput(FrameParser.DEAD_LETTERS) == null
                ? List.of()
                : harness.getSideOutput(FrameParser.DEAD_LETTERS).stream()
                        .map(StreamRecord::getValue)
                        .toList();
    }
}
