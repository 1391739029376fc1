package io.facestream.job.sink;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * What makes a local output file exactly-once: the writer's state at a checkpoint is the file's
 * length, and a writer restored from that checkpoint cuts the file back to it before appending.
 * Whatever was written after the checkpoint (and is replayed from there) is written once more, in
 * place of the cut part; what was written before it stays. Only for sinks of parallelism 1 writing
 * one file on one machine.
 */
final class FileOffsets {
    /** The state: the file length in bytes. */
    static final SimpleVersionedSerializer<Long> SERIALIZER =
            new SimpleVersionedSerializer<>() {
                @Override
                public int getVersion() {
                    return 1;
                }

                @Override
                public byte[] serialize(Long length) {
                    return ByteBuffer.allocate(Long.BYTES).putLong(length).array();
                }

                @Override
                public Long deserialize(int version, byte[] bytes) throws IOException {
                    if (version != 1 || bytes.length != Long.BYTES) {
                        throw new IOException(
                                "unknown file offset state (version "
                                        + version
                                        + ", "
                                        + bytes.length
                                        + " bytes)");
                    }
                    return ByteBuffer.wrap(bytes).getLong();
                }
            };

    private FileOffsets() {}

    /**
     * The length {@code file} had at the restored checkpoint, or empty for a fresh start (no state:
     * a new job, or a sink the checkpoint did not have).
     */
    static java.util.OptionalLong restored(Collection<Long> state) {
        return state.stream().mapToLong(Long::longValue).max();
    }

    /**
     * Cuts {@code file} back to {@code length}. A file now missing or shorter than that was changed
     * outside the job, and appending would leave a gap or a corrupt file: refused.
     */
    static void truncate(Path file, long length) throws IOException {
        if (!Files.exists(file)) {
            throw new IOException(
                    file
                            + " is missing, but the checkpoint the job restores from says it held "
                            + length
                            + " bytes: it was moved or deleted outside the job; put it back, or"
                            + " start the job afresh");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            if (ch.size() < length) {
                throw new IOException(
                        file
                                + " is shorter ("
                                + ch.size()
                                + " bytes) than at the checkpoint the job restores from ("
                                + length
                                + " bytes): it was changed outside the job; move it away and"
                                + " start the job afresh");
            }
            ch.truncate(length);
        }
    }

    /** The length of {@code file} now, for the writer's snapshot. */
    static long length(Path file) throws IOException {
        return Files.size(file);
    }
}
