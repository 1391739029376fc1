package io.facestream.job.sink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.OptionalLong;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A sink that writes one local file and is exactly-once across restores: its writer state is the
 * file's length at each checkpoint ({@link FileOffsets}). Subclasses open the file, fresh or cut
 * back to the restored length, and return a writer whose snapshot flushes and reports the length.
 * Run with parallelism 1.
 */
public abstract class CheckpointedFileSink<T> implements Sink<T>, SupportsWriterState<T, Long> {
    private final String file;

    protected CheckpointedFileSink(Path file) {
        this.file = file.toAbsolutePath().toString();
    }

    @Override
    public final StatefulSinkWriter<T, Long> createWriter(WriterInitContext context)
            throws IOException {
        return open(OptionalLong.empty());
    }

    @Override
    public final StatefulSinkWriter<T, Long> restoreWriter(
            WriterInitContext context, Collection<Long> state) throws IOException {
        return open(FileOffsets.restored(state));
    }

    @Override
    public final SimpleVersionedSerializer<Long> getWriterStateSerializer() {
        return FileOffsets.SERIALIZER;
    }

    private StatefulSinkWriter<T, Long> open(OptionalLong restoredLength) throws IOException {
        Path p = Path.of(file);
        Files.createDirectories(p.getParent());
        if (restoredLength.isPresent()) {
            FileOffsets.truncate(p, restoredLength.getAsLong());
        }
        return openWriter(p, restoredLength.isPresent());
    }

    /**
     * A writer of {@code file}: appending to it when {@code restored} (it has just been cut back to
     * its length at the checkpoint), else creating it empty.
     */
    protected abstract StatefulSinkWriter<T, Long> openWriter(Path file, boolean restored)
            throws IOException;
}
