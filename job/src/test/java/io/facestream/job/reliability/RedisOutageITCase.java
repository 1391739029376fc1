package io.facestream.job.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.facestream.flink.GalleryLookupFunction;
import io.facestream.gallery.FaceGallery;
import io.facestream.gallery.Galleries;
import io.facestream.gallery.GalleryOptions;
import io.facestream.job.JobConfig;
import io.facestream.job.JobTestSupportAccess;
import io.facestream.schema.FaceIdentity;
import io.facestream.schema.Frame;
import io.facestream.schema.MatchStatus;
import io.facestream.testing.EmbeddedKafka;
import io.facestream.testing.LocalRedis;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.IOUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The job while its Redis 8 gallery is away: the real server stopped for 10 s mid-stream and
 * started again with its data, and restarted empty (the gallery lost). Frames come from a real
 * KRaft broker (every 4th frame of the sample clip, so the input spans the whole clip, Obama at the
 * end included), identities go out through the exactly-once sink, and the job's own metrics are
 * read through {@link CollectingReporter}. A gate holds frames back so that which frames meet which
 * state of Redis is known.
 */
class RedisOutageITCase {
    /**
     * Lookup settings: 3 attempts 300 ms apart, given up after 3 s. Every face is looked up ({@code
     * track.mode=every-frame}): these tests count lookups, retries and failures per face, which a
     * track's schedule would thin out; the tracked path over an outage is the same lookup operator.
     */
    static final String[] LOOKUP = {
        "lookup.max-attempts=3",
        "lookup.retry-delay=300ms",
        "lookup.timeout=3s",
        "track.mode=every-frame"
    };

    static final int ATTEMPTS = 3;

    @RegisterExtension static final MiniClusterExtension CLUSTER = Reliability.miniCluster();

    static EmbeddedKafka kafka;
    static LocalRedis redis;
    static int frames;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start();
        redis = LocalRedis.start();
    }

    @AfterAll
    static void stop() throws Exception {
        IOUtils.closeAll(redis, kafka);
    }

    /** Redis up with the gallery enrolled and the frames published, whatever ran before. */
    @BeforeEach
    void ready() throws Exception {
        redis.resume();
        try (FaceGallery g =
                Galleries.open(redis.url(), Reliability.GALLERY, GalleryOptions.defaults())) {
            if (!g.exists()) {
                JobTestSupportAccess.enrolPeople(redis.url(), Reliability.GALLERY);
            }
        }
        synchronized (RedisOutageITCase.class) {
            if (frames == 0) {
                List<Frame> every4th =
                        Reliability.clipFrames(275).stream()
                                .filter(f -> f.getSequence() % 4 == 0)
                                .toList();
                Reliability.publish(kafka, every4th);
                frames = every4th.size();
            }
        }
    }

    /** Starts run {@code run} with frames held at {@code holdAt} and identities watched. */
    static JobClient start(String run, JobConfig cfg, long... holdAt) throws Exception {
        Hooks.Gate.create(run, holdAt.length);
        return Reliability.start(
                run,
                cfg,
                false,
                f ->
                        f.map(new Hooks.Gate(run, holdAt), new AvroTypeInfo<>(Frame.class))
                                .name("gate")
                                .uid("gate"),
                ids ->
                        ids.map(new Hooks.Watch(run), new AvroTypeInfo<>(FaceIdentity.class))
                                .name("watch")
                                .uid("watch"));
    }

    static void awaitFirstIdentities(String run) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        while (Hooks.seen(run).isEmpty() && System.currentTimeMillis() < deadline) {
            TimeUnit.MILLISECONDS.sleep(20);
        }
        assertThat(Hooks.seen(run)).as("identities before Redis is touched").isNotEmpty();
    }

    static Map<MatchStatus, Long> byStatus(List<FaceIdentity> ids) {
        return ids.stream()
                .collect(
                        Collectors.groupingBy(
                                FaceIdentity::getStatus, TreeMap::new, Collectors.counting()));
    }

    /** Every face once, and as many faces as the embed stage received. */
    static void assertEveryFaceOnce(String run, List<FaceIdentity> ids) {
        System.out.printf(
                "%s: records per stage: crops into embed %d, embeddings out %d, lookups in %d,"
                        + " matches out %d, assembler matched+unknown+failed %d+%d+%d, frames by"
                        + " timeout %d, committed %d%n",
                run,
                CollectingReporter.sum(run, "embed-batcher", "numRecordsIn"),
                CollectingReporter.sum(run, "embed-batcher", "numRecordsOut"),
                CollectingReporter.sum(run, "gallery-lookup", "numRecordsIn"),
                CollectingReporter.sum(run, "gallery-lookup", "numRecordsOut"),
                CollectingReporter.sum(run, "track-assembler", "identitiesMatched"),
                CollectingReporter.sum(run, "track-assembler", "identitiesUnknown"),
                CollectingReporter.sum(run, "track-assembler", "identitiesLookupFailed"),
                CollectingReporter.sum(run, "track-assembler", "framesCompletedByTimeout"),
                ids.size());
        java.util.Set<String> committed =
                ids.stream()
                        .map(i -> i.getFrameSequence() + "#" + i.getFaceIndex())
                        .collect(Collectors.toSet());
        // Which faces reached the sink but not the topic, and whether they are in it at all
        // (aborted) or not (never written, or deleted by the broker).
        System.out.printf(
                "%s: records in the topic, aborted ones included: %d; passed to the sink but not"
                        + " committed: %s%n",
                run,
                kafka.countUncommitted("identities-" + run),
                Hooks.seen(run).stream()
                        .filter(x -> !committed.contains(x.sequence() + "#" + x.face()))
                        .map(x -> x.sequence() + "#" + x.face())
                        .toList());
        ids.stream()
                .collect(Collectors.groupingBy(FaceIdentity::getFrameSequence))
                .forEach(
                        (seq, faces) -> {
                            if (faces.size() != faces.get(0).getFacesInFrame()) {
                                System.out.printf(
                                        "%s: frame %d has %d of %d faces%n",
                                        run, seq, faces.size(), faces.get(0).getFacesInFrame());
                            }
                        });
        assertThat(ids).extracting(Reliability::key).doesNotHaveDuplicates();
        assertThat((long) ids.size())
                .as("identity records = crops embedded")
                .isEqualTo(CollectingReporter.sum(run, "embed-batcher", "numRecordsIn"));
        ids.stream()
                .collect(Collectors.groupingBy(FaceIdentity::getFrameSequence))
                .forEach(
                        (seq, faces) ->
                                assertThat(faces)
                                        .as("faces of frame %d", seq)
                                        .hasSize(faces.get(0).getFacesInFrame()));
    }

    /**
     * Frames 60-136 go through while Redis is stopped, frames from 140 on only after it is back:
     * faces met by the outage are retried and then marked LOOKUP_FAILED, the job goes on, and
     * lookups answer again without anyone reopening anything.
     */
    @Test
    void marksFacesLookupFailedDuringAnOutageAndResumesAfterIt() throws Exception {
        String run = "redis-outage";
        long during = 60;
        long after = 140;
        JobConfig cfg = Reliability.config(kafka, redis, run, LOOKUP);
        long outageMs;
        List<String> errors;
        try (CapturedLog log = new CapturedLog(GalleryLookupFunction.class)) {
            JobClient job = start(run, cfg, during, after);
            awaitFirstIdentities(run);
            long t0 = System.nanoTime();
            redis.stop();
            Hooks.Gate.open(run, 0);
            TimeUnit.SECONDS.sleep(10);
            redis.resume();
            outageMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            Hooks.Gate.open(run, 1);
            job.getJobExecutionResult().get();
            errors = log.lines().stream().filter(l -> l.startsWith("ERROR")).toList();
        }
        List<FaceIdentity> ids = Reliability.committedIdentities(kafka, run, 1);
        List<FaceIdentity> failed =
                ids.stream().filter(i -> i.getStatus() == MatchStatus.LOOKUP_FAILED).toList();
        List<FaceIdentity> later = ids.stream().filter(i -> i.getFrameSequence() >= after).toList();
        long faces = ids.size();
        long lookups = CollectingReporter.sum(run, "gallery-lookup", "lookups");
        long failures = CollectingReporter.sum(run, "gallery-lookup", "lookupFailures");
        long timeouts = CollectingReporter.sum(run, "gallery-lookup", "lookupTimeouts");
        long missing = CollectingReporter.sum(run, "gallery-lookup", "galleryMissing");
        long failedCounted =
                CollectingReporter.sum(run, "track-assembler", "identitiesLookupFailed");
        System.out.printf(
                "%s: Redis down %d ms; %d faces of %d frames %s; LOOKUP_FAILED frames %d-%d; from"
                        + " frame %d on %s %s; lookup attempts %d (retries %d), failed attempts %d,"
                        + " timeouts %d, gallery missing %d; identitiesLookupFailed %d; %d ERROR"
                        + " lines, first: %s%n",
                run,
                outageMs,
                faces,
                frames,
                byStatus(ids),
                failed.stream().mapToLong(FaceIdentity::getFrameSequence).min().orElse(-1),
                failed.stream().mapToLong(FaceIdentity::getFrameSequence).max().orElse(-1),
                after,
                byStatus(later),
                matchedCounts(later),
                lookups,
                lookups - faces,
                failures,
                timeouts,
                missing,
                failedCounted,
                errors.size(),
                errors.isEmpty() ? "-" : errors.get(0));

        assertEveryFaceOnce(run, ids);
        assertThat(failed).as("faces met by the outage").isNotEmpty();
        assertThat(failed)
                .as("LOOKUP_FAILED only for frames let through while Redis was down")
                .allMatch(i -> i.getFrameSequence() < after);
        assertThat(failedCounted).as("identitiesLookupFailed metric").isEqualTo(failed.size());
        assertThat(failures)
                .as("failed attempts: every LOOKUP_FAILED face was tried %d times", ATTEMPTS)
                .isGreaterThanOrEqualTo((long) ATTEMPTS * failed.size());
        assertThat(lookups - faces)
                .as("retries")
                .isGreaterThanOrEqualTo((ATTEMPTS - 1L) * failed.size());
        assertThat(missing).as("galleryMissing: the data came back").isZero();
        assertThat(later).as("faces after the outage").isNotEmpty();
        assertThat(later)
                .as("lookups resume by themselves")
                .noneMatch(i -> i.getStatus() == MatchStatus.LOOKUP_FAILED);
        assertThat(matchedCounts(later)).containsKeys("lin_manuel_miranda", "obama");
        assertThat(errors)
                .as("the outage is logged, rate-limited")
                .isNotEmpty()
                .hasSizeLessThanOrEqualTo(2 * (int) (outageMs / 5000 + 2))
                .allMatch(l -> l.contains("gallery '" + Reliability.GALLERY + "'"));
    }

    /**
     * Redis restarted without its data (a server without persistence that restarted): the gallery
     * is gone. Frames from 100 on meet only the empty server; their faces must be LOOKUP_FAILED,
     * counted by {@code galleryMissing} and logged as a missing gallery, not passed off as UNKNOWN.
     */
    @Test
    void marksFacesLookupFailedWhenRedisComesBackWithoutTheGallery() throws Exception {
        String run = "gallery-lost";
        long lost = 100;
        JobConfig cfg = Reliability.config(kafka, redis, run, LOOKUP);
        List<String> errors;
        try (CapturedLog log = new CapturedLog(GalleryLookupFunction.class)) {
            JobClient job = start(run, cfg, lost);
            awaitFirstIdentities(run);
            redis.stop();
            Files.delete(redis.dataDir().resolve("dump.rdb"));
            redis.resume();
            Hooks.Gate.open(run, 0);
            job.getJobExecutionResult().get();
            errors = log.lines().stream().filter(l -> l.startsWith("ERROR")).toList();
        }
        List<FaceIdentity> ids = Reliability.committedIdentities(kafka, run, 1);
        List<FaceIdentity> later = ids.stream().filter(i -> i.getFrameSequence() >= lost).toList();
        long missing = CollectingReporter.sum(run, "gallery-lookup", "galleryMissing");
        long failures = CollectingReporter.sum(run, "gallery-lookup", "lookupFailures");
        List<String> missingLines = errors.stream().filter(l -> l.contains("is missing")).toList();
        System.out.printf(
                "%s: %d faces %s; from frame %d on %s; gallery missing %d of %d failed attempts;"
                        + " %d 'missing' ERROR lines, first: %s%n",
                run,
                ids.size(),
                byStatus(ids),
                lost,
                byStatus(later),
                missing,
                failures,
                missingLines.size(),
                missingLines.isEmpty() ? "-" : missingLines.get(0));

        assertEveryFaceOnce(run, ids);
        assertThat(later).as("faces after the gallery was lost").isNotEmpty();
        assertThat(later)
                .as("no face is passed off as UNKNOWN (or matched) without a gallery")
                .allMatch(i -> i.getStatus() == MatchStatus.LOOKUP_FAILED);
        assertThat(missing)
                .as("galleryMissing: at least the last attempt of each of those faces")
                .isGreaterThanOrEqualTo(later.size());
        assertThat(missingLines)
                .as("a clear ERROR naming the gallery")
                .isNotEmpty()
                .allMatch(l -> l.contains("gallery '" + Reliability.GALLERY + "' is missing"));
    }

    static Map<String, Long> matchedCounts(List<FaceIdentity> ids) {
        return ids.stream()
                .filter(i -> i.getStatus() == MatchStatus.MATCHED)
                .collect(
                        Collectors.groupingBy(
                                FaceIdentity::getIdentity, TreeMap::new, Collectors.counting()));
    }
}
