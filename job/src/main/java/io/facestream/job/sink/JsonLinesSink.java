package io.facestream.job.sink;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.facestream.identify.FaceIdentities;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;

/**
 * Appends Avro records as JSON lines (schema field names, plain values) to one local file, for
 * scripts and the demo. Run it with parallelism 1. Exactly-once across restores from checkpoints
 * (see {@link FileOffsets}); a fresh start empties the file.
 */
public final class JsonLinesSink<T extends SpecificRecord> extends CheckpointedFileSink<T> {
    public JsonLinesSink(Path file) {
        super(file);
    }

    @Override
    protected StatefulSinkWriter<T, Long> openWriter(Path p, boolean restored) throws IOException {
        BufferedWriter w =
                restored
                        ? Files.newBufferedWriter(
                                p, StandardCharsets.UTF_8, StandardOpenOption.APPEND)
                        : Files.newBufferedWriter(
                                p,
                                StandardCharsets.UTF_8,
                                StandardOpenOption.CREATE,
                                StandardOpenOption.TRUNCATE_EXISTING);
        ObjectMapper json = new ObjectMapper();
        return new StatefulSinkWriter<>() {
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
