package io.facestream.job.sink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Writes Avro records to one local Avro container file (schema embedded, readable with avro-tools
 * or any Avro library). Parallelism 1; at-least-once like {@link JsonLinesSink}.
 */
public final class AvroFileSink<T extends SpecificRecord> implements Sink<T> {
    private final String file;
    private final Class<T> type;

    public AvroFileSink(Path file, Class<T> type) {
        this.file = file.toAbsolutePath().toString();
        this.type = type;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        Path p = Path.of(file);
        Files.createDirectories(p.getParent());
        DataFileWriter<T> w = new DataFileWriter<>(new SpecificDatumWriter<>(type));
        w.create(org.apache.avro.specific.SpecificData.get().getSchema(type), p.toFile());
        return new SinkWriter<>() {
            @Override
            public void write(T element, Context ctx) throws IOException {
                w.append(element);
            }

            @Override
            public void flush(boolean endOfInput) throws IOException {
                w.flush();
            }

            @Override
            public void close() throws IOException {
                w.close();
            }
        };
    }
}
