package io.facestream.job.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.facestream.job.JobConfig;
import io.facestream.job.JobTestSupportAccess;
import io.facestream.schema.FaceIdentity;
import io.facestream.schema.Frame;
import io.facestream.schema.MatchStatus;
import io.facestream.testing.EmbeddedKafka;
import io.facestream.testing.LocalRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.IOUtils;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientPauseMode;

/**
 * Exactly-once under failure, end to end: the first frames of the sample clip on a real KRaft
 * broker, the production graph on a MiniCluster with checkpoints every second and a fixed-delay
 * restart strategy, a real Redis 8 gallery, identities written by the exactly-once Kafka sink and
 * read back with {@code read_committed}. Each failure run is compared face by face (camera, frame
 * sequence, face index) with a failure-free run of the same input: nothing lost, nothing twice,
 * every face decided the same.
 *
 * <p>A failure anywhere in this graph restarts all of it (keyBy edges make one failover region), so
 * what matters is not where the failure is thrown but what the restored checkpoint holds; each
 * scenario shapes the job so that its checkpoints hold what it is named after.
 */
class ExactlyOnceRecoveryITCase {
    static final int FRAMES = 60;

    @RegisterExtension static final MiniClusterExtension CLUSTER = Reliability.miniCluster();

    static EmbeddedKafka kafka;
    static LocalRedis redis;
    static List<FaceIdentity> expected;
    static List<String> expectedAppearances;

    @TempDir static Path markers;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start();
        redis = LocalRedis.start();
        JobTestSupportAccess.enrolPeople(redis.url(), Reliability.GALLERY);
    }

    /**
     * The failure-free run every scenario is compared with, made by whichever test comes first
     * (inside a test, where the environment is the MiniCluster's).
     */
    static synchronized List<FaceIdentity> expected() throws Exception {
        if (expected == null) {
            Reliability.publish(kafka, Reliability.clipFrames(FRAMES));
            long t0 = System.nanoTime();
            List<FaceIdentity> ids =
                    Reliability.runToEnd(
                            kafka,
                            "baseline",
                            Reliability.config(kafka, redis, "baseline"),
                            false,
                            f -> f,
                            i -> i);
            System.out.printf(
                    "baseline: %d identity records of %d frames in %d ms%n",
                    ids.size(), FRAMES, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            JobTestSupportAccess.printSummary("baseline", ids, FRAMES);
            System.out.println(
                    "baseline: frames with a match "
                            + ids.stream()
                                    .filter(i -> i.getIdentity() != null)
                                    .map(FaceIdentity::getFrameSequence)
                                    .sorted()
                                    .toList());
            assertThat(ids).extracting(Reliability::key).doesNotHaveDuplicates();
            assertThat(ids.stream().map(FaceIdentity::getFrameSequence).distinct().count())
                    .as("frames with faces")
                    .isGreaterThan(FRAMES / 2);
            assertThat(ids).anyMatch(i -> "lin_manuel_miranda".equals(i.getIdentity()));
            expectedAppearances = Reliability.committedAppearances(kafka, "baseline");
            System.out.println("baseline appearances: " + expectedAppearances);
            assertThat(expectedAppearances)
                    .anyMatch(a -> a.contains("|ENDED|MATCHED|lin_manuel_miranda|"))
                    .doesNotHaveDuplicates();
            expected = ids;
        }
        return expected;
    }

    @AfterAll
    static void stop() throws Exception {
        IOUtils.closeAll(redis, kafka);
    }

    /**
     * Frames at most one per 80 ms: 60 frames take at least 4.8 s to read, so several 1 s
     * checkpoints complete mid-stream on any machine. Without it a fast run could read every frame
     * and flush every batch before the first checkpoint completed, and the failure never fired.
     */
    static UnaryOperator<DataStream<Frame>> throttled() {
        return throttled(80);
    }

    static UnaryOperator<DataStream<Frame>> throttled(long millisPerFrame) {
        return frames ->
                frames.map(new Hooks.Throttle(millisPerFrame), new AvroTypeInfo<>(Frame.class))
                        .name("throttle")
                        .uid("throttle");
    }

    /** Fails once after {@code afterRecords} identities of a subtask and a completed checkpoint. */
    static UnaryOperator<DataStream<FaceIdentity>> failOnce(String run, int afterRecords) {
        return ids ->
                ids.map(
                                new Hooks.FailOnce(run, markers.resolve(run), afterRecords),
                                new AvroTypeInfo<>(FaceIdentity.class))
                        .name("fail-once")
                        .uid("fail-once");
    }

    static Reliability.Comparison assertSameAsBaseline(String run, List<FaceIdentity> actual)
            throws Exception {
        return assertSameAsBaseline(run, actual, false);
    }

    /**
     * @param lookupsMayFail Redis was made slow on purpose: a face whose lookup ran out of retries
     *     (at the end of the bounded input the async operator completes pending retries with their
     *     last, failed result) may be LOOKUP_FAILED where the baseline decided it; any other change
     *     of decision still fails the test
     */
    static Reliability.Comparison assertSameAsBaseline(
            String run, List<FaceIdentity> actual, boolean lookupsMayFail) throws Exception {
        Reliability.Comparison c = Reliability.compare(expected(), actual);
        System.out.printf(
                "%s: %s; failure injected at frame %s; restarts %d; crops into the embed batcher"
                        + " %d (failure-free: %d); lookups started %d (failure-free: %d)%n",
                run,
                c,
                Hooks.FAILED_AT.getOrDefault(run, List.of()),
                CollectingReporter.gauge(run, "numRestarts"),
                CollectingReporter.sum(run, "embed-batcher", "numRecordsIn"),
                CollectingReporter.sum("baseline", "embed-batcher", "numRecordsIn"),
                CollectingReporter.sum(run, "gallery-lookup", "lookups"),
                CollectingReporter.sum("baseline", "gallery-lookup", "lookups"));
        System.out.printf(
                "%s: why lookups failed: %s%n",
                run,
                actual.stream()
                        .filter(i -> i.getStatus() == MatchStatus.LOOKUP_FAILED)
                        .collect(
                                java.util.stream.Collectors.groupingBy(
                                        i -> String.valueOf(i.getError()),
                                        java.util.stream.Collectors.counting())));
        assertSameFaces(c, lookupsMayFail);
        assertThat(actual).hasSameSizeAs(expected());
        return c;
    }

    /** Nothing lost, nothing twice, nothing new, every face decided as in the baseline. */
    static void assertSameFaces(Reliability.Comparison c, boolean lookupsMayFail) {
        assertThat(c.lost()).as("lost: %s", c).isZero();
        assertThat(c.duplicated()).as("duplicated: %s", c).isZero();
        assertThat(c.unexpected()).as("unexpected: %s", c).isZero();
        assertThat(c.changed())
                .as("decided otherwise: %s", c)
                .allSatisfy(
                        (face, change) -> {
                            assertThat(lookupsMayFail).as("no change allowed here").isTrue();
                            assertThat(change).endsWith("-> LOOKUP_FAILED");
                        });
    }

    /** The injected failure fired and the job came back from a checkpoint. */
    static void assertRestoredOnce(String run) {
        assertThat(Files.exists(markers.resolve(run))).as("the failure was injected").isTrue();
        // At least once: a checkpoint declined around the failure may add a restart, harmlessly.
        assertThat(CollectingReporter.gauge(run, "numRestarts")).as("restarts").isPositive();
        // Flink's own figure: the restart restored a checkpoint (not a start from scratch, which
        // would also produce the right output against a bounded input).
        assertThat(CollectingReporter.gauge(run, "lastCheckpointRestoreTimestamp"))
                .as("restored from a checkpoint")
                .isPositive();
        // Frames between the restored checkpoint and the failure are read and detected again, so
        // never fewer than the baseline. Not strictly more: on a loaded machine the checkpoint that
        // is restored may have been taken after the source had read its last frame (the work left
        // then is only the restored state: crops in the batcher, lookups in flight).
        long redone =
                CollectingReporter.sum(run, "detect-align", "framesIn")
                        - CollectingReporter.sum("baseline", "detect-align", "framesIn");
        System.out.printf("%s: frames detected again after the restore: %d%n", run, redone);
        assertThat(redone)
                .as("frames detected again (never fewer than the baseline)")
                .isNotNegative();
    }

    /**
     * Batches of 64 crops or 4 s: every checkpoint holds crops waiting in the embed batcher's keyed
     * state, and the job fails while buffers are partly filled; the restored crops must be embedded
     * once, the ones after the checkpoint replayed from Kafka once. The local file outputs ({@code
     * output.dir}) go through the same restore. Frames come one per 150 ms here: batches flush
     * every 4 s, and the failure waits for a checkpoint taken after the first flush, so a later
     * flush must still be to come.
     */
    @Test
    void recoversPartlyFilledEmbedBatchesExactlyOnce() throws Exception {
        expected();
        String run = "partial-batches";
        Path out = markers.resolve("out-" + run);
        JobConfig cfg =
                Reliability.config(
                        kafka,
                        redis,
                        run,
                        "embed.batch-size=64",
                        "embed.max-delay=4s",
                        "output.dir=" + out);
        List<FaceIdentity> actual =
                Reliability.runToEnd(kafka, run, cfg, true, throttled(150), failOnce(run, 10));
        assertRestoredOnce(run);
        assertSameAsBaseline(run, actual);
        assertThat(Reliability.committedAppearances(kafka, run))
                .as("appearance events, read_committed, after a failure")
                .containsExactlyInAnyOrderElementsOf(expectedAppearances);
        // The local file outputs went through the same restore.
        List<FaceIdentity> avro = new ArrayList<>();
        try (DataFileReader<FaceIdentity> r =
                new DataFileReader<>(
                        out.resolve("identities.avro").toFile(),
                        new SpecificDatumReader<>(FaceIdentity.class))) {
            r.forEach(avro::add);
        }
        Reliability.Comparison files = Reliability.compare(expected(), avro);
        System.out.printf("%s: identities.avro: %s%n", run, files);
        assertSameFaces(files, false);
        List<String> jsonl = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(out.resolve("identities.jsonl"))) {
            JsonNode n = json.readTree(line);
            jsonl.add(
                    n.get("cameraId").asText()
                            + "#"
                            + n.get("frameSequence").asLong()
                            + "#"
                            + n.get("faceIndex").asInt());
        }
        assertThat(jsonl)
                .as("identities.jsonl")
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(
                        expected().stream().map(Reliability::key).toList());
    }

    /**
     * Redis paused for 250 ms of every 300 ms (CLIENT PAUSE: the real server, made slow): lookups
     * wait in the async operator, whose checkpoints hold them as in-flight elements, when the job
     * fails; they must be looked up again after the restore and counted once.
     */
    @Test
    void recoversLookupsInFlightExactlyOnce() throws Exception {
        expected();
        String run = "lookups-in-flight";
        JobConfig cfg = Reliability.config(kafka, redis, run, "lookup.threads=2");
        Thread slow = new Thread(ExactlyOnceRecoveryITCase::slowRedis, "slow-redis");
        slow.setDaemon(true);
        slow.start();
        try {
            List<FaceIdentity> actual =
                    Reliability.runToEnd(kafka, run, cfg, true, throttled(150), failOnce(run, 5));
            assertRestoredOnce(run);
            assertSameAsBaseline(run, actual, true);
        } finally {
            slow.interrupt();
            slow.join();
        }
    }

    private static void slowRedis() {
        try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
            while (!Thread.currentThread().isInterrupted()) {
                jedis.clientPause(250, ClientPauseMode.ALL);
                Thread.sleep(300);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The task manager that runs every task is shut down once a checkpoint has completed and
     * identities are flowing, and a fresh one is started in its place (as on a cluster whose task
     * manager died and was replaced): the job is restored on the new one from that checkpoint.
     */
    @Test
    void recoversFromALostTaskManagerExactlyOnce(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        expected();
        String run = "lost-task-manager";
        JobClient job =
                Reliability.start(
                        run,
                        Reliability.config(kafka, redis, run),
                        true,
                        throttled(),
                        watched(run));
        long deadline = System.currentTimeMillis() + 120_000;
        while ((Hooks.seen(run).size() < 20 || completedCheckpoints(run) < 1)
                && System.currentTimeMillis() < deadline) {
            TimeUnit.MILLISECONDS.sleep(20);
        }
        int seenBefore = Hooks.seen(run).size();
        long checkpointsBefore = completedCheckpoints(run);
        cluster.terminateTaskManager(0).get();
        cluster.startTaskManager();
        job.getJobExecutionResult().get();
        System.out.printf(
                "%s: task manager shut down after %d identities and %d completed checkpoints%n",
                run, seenBefore, checkpointsBefore);
        assertThat(checkpointsBefore).as("checkpoints before the loss").isPositive();
        assertThat(seenBefore)
                .as("identities before the loss: mid-stream")
                .isBetween(20, expected().size() - 1);
        assertThat(CollectingReporter.gauge(run, "numRestarts")).as("restarts").isPositive();
        assertSameAsBaseline(run, Reliability.committedIdentities(kafka, run, 1));
        assertThat(Reliability.committedAppearances(kafka, run))
                .as("appearance events after a lost task manager")
                .containsExactlyInAnyOrderElementsOf(expectedAppearances);
    }

    /** Lets the test see each identity as it is made ({@link Hooks#seen}). */
    static UnaryOperator<DataStream<FaceIdentity>> watched(String run) {
        return ids ->
                ids.map(new Hooks.Watch(run), new AvroTypeInfo<>(FaceIdentity.class))
                        .name("watch")
                        .uid("watch");
    }

    private static long completedCheckpoints(String run) {
        try {
            return CollectingReporter.gauge(run, "numberOfCompletedCheckpoints");
        } catch (AssertionError notYetRegistered) {
            return 0;
        }
    }

    /**
     * The broker is shut down for 5 s once the job has made its first identities, while frames are
     * still to be read from the frames topic and transactions are open, then started again on the
     * same port and logs. The job may ride it out or fail over to its last checkpoint; either way
     * every face of every frame must be committed exactly once.
     */
    @Test
    void recoversFromABrokerRestartWithoutLosingFrames() throws Exception {
        expected();
        String run = "broker-restart";
        JobConfig cfg = Reliability.config(kafka, redis, run);
        var job =
                Reliability.start(
                        run,
                        cfg,
                        true,
                        frames ->
                                frames.map(
                                                new Hooks.FramesRead(run),
                                                new AvroTypeInfo<>(Frame.class))
                                        .name("frames-read")
                                        .uid("frames-read"),
                        watched(run));
        long deadline = System.currentTimeMillis() + 120_000;
        while (Hooks.seen(run).size() < 10 && System.currentTimeMillis() < deadline) {
            TimeUnit.MILLISECONDS.sleep(20);
        }
        assertThat(Hooks.seen(run)).as("identities before the broker stops").hasSizeGreaterThan(9);
        int framesBefore = Hooks.read(run).size();
        long t0 = System.nanoTime();
        // Every client logs each failed connection attempt at WARN while the broker is away.
        Configurator.setLevel("org.apache.kafka.clients.NetworkClient", Level.ERROR);
        try {
            kafka.stopBroker();
            TimeUnit.SECONDS.sleep(5);
            kafka.startBroker();
        } finally {
            Configurator.setLevel("org.apache.kafka.clients.NetworkClient", Level.WARN);
        }
        long downMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        job.getJobExecutionResult().get();
        List<FaceIdentity> actual = Reliability.committedIdentities(kafka, run, 1);
        Reliability.Comparison c = Reliability.compare(expected(), actual);
        System.out.printf(
                "%s: broker down %d ms with %d of %d frames read; restarts %d; %s%n",
                run, downMs, framesBefore, FRAMES, CollectingReporter.gauge(run, "numRestarts"), c);
        assertThat(framesBefore)
                .as("frames still to read when the broker stopped")
                .isLessThan(FRAMES);
        assertThat(c.lost()).as("lost: %s", c).isZero();
        assertThat(c.duplicated()).as("duplicated: %s", c).isZero();
        assertThat(c.unexpected()).as("unexpected: %s", c).isZero();
        assertThat(c.changed()).as("decided otherwise: %s", c).isEmpty();
    }
}
