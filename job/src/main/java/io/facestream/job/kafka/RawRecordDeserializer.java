package io.facestream.job.kafka;

import io.facestream.schema.internal.RawRecord;
import java.nio.ByteBuffer;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Wraps each Kafka record's value, unparsed, with its topic, partition, offset and timestamp.
 *
 * <p>Parsing happens downstream in {@link FrameParser}: a deserializer that throws fails the source
 * and restarts the job on the same record forever, whereas a parse function can turn bad bytes into
 * a dead letter. So this never throws and never drops a record, tombstones (null values) included.
 * The key is not kept: the camera id is inside the Frame.
 */
public final class RawRecordDeserializer implements KafkaRecordDeserializationSchema<RawRecord> {
    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawRecord> out) {
        byte[] value = record.value();
        out.collect(
                RawRecord.newBuilder()
                        .setTopic(record.topic())
                        .setPartition(record.partition())
                        .setOffset(record.offset())
                        .setTimestamp(record.timestamp())
                        .setValue(value == null ? null : ByteBuffer.wrap(value))
                        .build());
    }

    @Override
    public TypeInformation<RawRecord> getProducedType() {
        return new AvroTypeInfo<>(RawRecord.class);
    }
}
