package io.facestream.job.sink;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;

/**
 * Writes Avro records to one local Avro container file (schema embedded, readable with avro-tools
 * or any Avro library). Parallelism 1; exactly-once across restores like {@link JsonLinesSink}: a
 * snapshot ends the current block, so the file is a valid container at every checkpointed length,
 * and a restored writer appends to it from there.
 */
public final class AvroFileSink<T extends SpecificRecord> extends CheckpointedFileSink<T> {
    private final Class<T> type;

    public AvroFileSink(Path file, Class<T> type) {
        super(file);
        this.type = type;
    }

    @Override
    protected StatefulSinkWriter<T, Long> openWriter(Path p, boolean restored) throws IOException {
        DataFileWriter<T> w = new DataFileWriter<>(new SpecificDatumWriter<>(type));
        if (restored) {
            w.appendTo(p.toFile());
        } else {
            w.create(SpecificData.get().getSchema(type), p.toFile());
        }
        return new StatefulSinkWriter<>() {
            @Override
            public void write(T element, Context ctx) throws IOException {
                w.append(element);
            }

            @Override
            public void flush(boolean endOfInput) throws IOException {
                w.flush();
            }

            @Override
            public List<Long> snapshotState(long checkpointId) throws IOException {
                w.flush();
                return List.of(FileOffsets.length(p));
            }

            @Override
            public void close() throws IOException {
                w.close();
            }
        };
    }
}
