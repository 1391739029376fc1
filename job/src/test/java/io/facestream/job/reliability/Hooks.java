package io.facestream.job.reliability;

import io.facestream.schema.FaceIdentity;
import io.facestream.schema.Frame;
import io.facestream.schema.MatchStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;

/**
 * Pass-through maps the reliability tests compose around the production graph (never inside it):
 * one that fails the job once, one that lets the test watch identities as they are made, and one
 * that holds frames back until the test has broken something. The MiniCluster runs in the test JVM,
 * so they talk to the test through static registries keyed by a run name.
 */
final class Hooks {
    private Hooks() {}

    /** What a {@link Watch} saw: wall-clock time, frame sequence and status of each identity. */
    record Seen(long atMillis, long sequence, int face, MatchStatus status) {}

    static final Map<String, List<Seen>> SEEN = new ConcurrentHashMap<>();
    static final Map<String, CountDownLatch[]> GATES = new ConcurrentHashMap<>();
    static final Map<String, List<Long>> FAILED_AT = new ConcurrentHashMap<>();
    static final Map<String, Set<Long>> READ = new ConcurrentHashMap<>();

    static Set<Long> read(String run) {
        return READ.computeIfAbsent(run, r -> ConcurrentHashMap.newKeySet());
    }

    static List<Seen> seen(String run) {
        return SEEN.computeIfAbsent(run, r -> new CopyOnWriteArrayList<>());
    }

    /**
     * Throws once, in one subtask, at the first identity after a checkpoint has completed whose
     * barrier reached this subtask after {@code afterRecords} identities: the checkpoint the job
     * restores from then holds work already handed to the sinks (which they must keep) as well as
     * work in every stage (which must be done again, once). "Once" is a marker file created
     * atomically, so a restored or second subtask cannot fire again even if it were loaded by
     * another class loader.
     */
    static final class FailOnce extends RichMapFunction<FaceIdentity, FaceIdentity>
            implements CheckpointedFunction, CheckpointListener {
        private final String run;
        private final String marker;
        private final int afterRecords;
        private transient int records;
        private transient Map<Long, Integer> recordsAtBarrier;
        private transient boolean armed;

        FailOnce(String run, Path marker, int afterRecords) {
            this.run = run;
            this.marker = marker.toString();
            this.afterRecords = afterRecords;
        }

        @Override
        public void initializeState(FunctionInitializationContext ctx) {
            records = 0;
            recordsAtBarrier = new ConcurrentHashMap<>();
            armed = false;
        }

        @Override
        public FaceIdentity map(FaceIdentity id) {
            records++;
            if (armed && claim()) {
                FAILED_AT
                        .computeIfAbsent(run, r -> new CopyOnWriteArrayList<>())
                        .add(id.getFrameSequence());
                throw new IllegalStateException(
                        "injected failure at frame " + id.getFrameSequence() + " (test)");
            }
            return id;
        }

        private boolean claim() {
            try {
                Files.createFile(Path.of(marker));
                return true;
            } catch (FileAlreadyExistsException done) {
                return false;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void snapshotState(FunctionSnapshotContext ctx) {
            recordsAtBarrier.put(ctx.getCheckpointId(), records);
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            Integer before = recordsAtBarrier.remove(checkpointId);
            armed |= before != null && before >= afterRecords;
        }
    }

    /** Records every identity that passes, with the time it passed. */
    static final class Watch implements MapFunction<FaceIdentity, FaceIdentity> {
        private final String run;

        Watch(String run) {
            this.run = run;
        }

        @Override
        public FaceIdentity map(FaceIdentity id) {
            seen(run)
                    .add(
                            new Seen(
                                    System.currentTimeMillis(),
                                    id.getFrameSequence(),
                                    id.getFaceIndex(),
                                    id.getStatus()));
            return id;
        }
    }

    /** Records the sequence of every frame read from the source. */
    static final class FramesRead implements MapFunction<Frame, Frame> {
        private final String run;

        FramesRead(String run) {
            this.run = run;
        }

        @Override
        public Frame map(Frame f) {
            read(run).add(f.getSequence());
            return f;
        }
    }

    /**
     * Lets frames through no faster than one per {@code millis}: a bounded input then spans several
     * checkpoint intervals however fast the machine, so checkpoints complete while frames are still
     * being read and an injected failure always has one to restore from. Sleeping in the task
     * thread delays barriers by at most one frame's wait.
     */
    static final class Throttle implements MapFunction<Frame, Frame> {
        private final long millis;

        Throttle(long millis) {
            this.millis = millis;
        }

        @Override
        public Frame map(Frame f) throws InterruptedException {
            TimeUnit.MILLISECONDS.sleep(millis);
            return f;
        }
    }

    /**
     * Holds the frame with sequence {@code holdAt[i]} (and so all after it) until the test opens
     * gate {@code i}; a gate left shut for two minutes fails the job rather than hang the build.
     */
    static final class Gate implements MapFunction<Frame, Frame> {
        private final String run;
        private final long[] holdAt;

        Gate(String run, long... holdAt) {
            this.run = run;
            this.holdAt = holdAt;
        }

        static void create(String run, int gates) {
            CountDownLatch[] latches = new CountDownLatch[gates];
            for (int i = 0; i < gates; i++) {
                latches[i] = new CountDownLatch(1);
            }
            GATES.put(run, latches);
        }

        static void open(String run, int gate) {
            GATES.get(run)[gate].countDown();
        }

        @Override
        public Frame map(Frame f) throws InterruptedException {
            for (int i = 0; i < holdAt.length; i++) {
                if (f.getSequence() == holdAt[i] && !GATES.get(run)[i].await(2, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("gate " + i + " of " + run + " never opened");
                }
            }
            return f;
        }
    }
}
