package io.facestream.job.sink;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.facestream.identify.FaceIdentities;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Appends Avro records as JSON lines (schema field names, plain values) to one local file, for
 * scripts and the demo. Run it with parallelism 1. At-least-once: after a restore from a
 * checkpoint, records since that checkpoint may appear twice — use the Kafka sinks for exactly-once
 * delivery.
 */
public final class JsonLinesSink<T extends SpecificRecord> implements Sink<T> {
    private final String file;

    public JsonLinesSink(Path file) {
        this.file = file.toAbsolutePath().toString();
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        Path p = Path.of(file);
        Files.createDirectories(p.getParent());
        BufferedWriter w =
                Files.newBufferedWriter(
                        p,
                        StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING);
        ObjectMapper json = new ObjectMapper();
        return new SinkWriter<>() {
            @Override
            public void write(T element, Context ctx) throws IOException {
                w.write(json.writeValueAsString(FaceIdentities.toPlain(element)));
                w.newLine();
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
