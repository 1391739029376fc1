package io.facestream.job.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facestream.schema.DeadLetter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local file sinks across a restore, writer by writer as Flink drives them: what was written
 * after the checkpoint is cut away and written again, what was written before it stays; a file
 * changed outside the job is refused rather than appended to.
 */
class CheckpointedFileSinkTest {
    @TempDir Path tmp;

    static DeadLetter letter(int n) {
        return DeadLetter.newBuilder()
                .setStage("decode")
                .setSource("cam#" + n)
                .setErrorClass("java.io.IOException")
                .setErrorMessage("record " + n)
                .setTimestamp(Instant.ofEpochMilli(n))
                .build();
    }

    /** Writes 1-2, checkpoints, writes 3 and "fails"; the restored writer writes 3-4 again. */
    static void failAndRestore(CheckpointedFileSink<DeadLetter> sink) throws Exception {
        StatefulSinkWriter<DeadLetter, Long> w = sink.createWriter(null);
        w.write(letter(1), null);
        w.write(letter(2), null);
        List<Long> state = w.snapshotState(1);
        w.write(letter(3), null);
        w.flush(false);
        w.close(); // the failed attempt's writer; what it wrote after the checkpoint stays on disk
        StatefulSinkWriter<DeadLetter, Long> restored = sink.restoreWriter(null, state);
        restored.write(letter(3), null);
        restored.write(letter(4), null);
        restored.flush(true);
        restored.close();
    }

    @Test
    void jsonLinesKeepWhatPrecedesTheCheckpointAndRewriteTheRest() throws Exception {
        Path file = tmp.resolve("dead-letters.jsonl");
        failAndRestore(new JsonLinesSink<>(file));
        assertThat(Files.readAllLines(file))
                .hasSize(4)
                .allSatisfy(l -> assertThat(l).startsWith("{"))
                .satisfies(
                        lines -> {
                            for (int i = 0; i < 4; i++) {
                                assertThat(lines.get(i)).contains("\"record " + (i + 1) + "\"");
                            }
                        });
    }

    @Test
    void avroStaysAValidContainerWithEachRecordOnce() throws Exception {
        Path file = tmp.resolve("dead-letters.avro");
        failAndRestore(new AvroFileSink<>(file, DeadLetter.class));
        List<String> messages = new ArrayList<>();
        try (DataFileReader<DeadLetter> r =
                new DataFileReader<>(file.toFile(), new SpecificDatumReader<>(DeadLetter.class))) {
            r.forEach(d -> messages.add(d.getErrorMessage()));
        }
        assertThat(messages).containsExactly("record 1", "record 2", "record 3", "record 4");
    }

    @Test
    void aFileChangedOutsideTheJobIsNotAppendedTo() throws Exception {
        Path file = tmp.resolve("identities.jsonl");
        JsonLinesSink<DeadLetter> sink = new JsonLinesSink<>(file);
        StatefulSinkWriter<DeadLetter, Long> w = sink.createWriter(null);
        w.write(letter(1), null);
        List<Long> state = w.snapshotState(1);
        w.close();

        Files.writeString(file, "{}\n"); // shorter than at the checkpoint
        assertThatThrownBy(() -> sink.restoreWriter(null, state))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("is shorter")
                .hasMessageContaining(file.toString());
        Files.delete(file);
        assertThatThrownBy(() -> sink.restoreWriter(null, state))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("is missing");
        // A sink the checkpoint had no state for starts its file afresh.
        StatefulSinkWriter<DeadLetter, Long> fresh = sink.restoreWriter(null, List.of());
        fresh.write(letter(2), null);
        fresh.close();
        assertThat(Files.readAllLines(file)).hasSize(1).first().asString().contains("record 2");
    }
}
