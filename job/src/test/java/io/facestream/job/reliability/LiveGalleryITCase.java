package io.facestream.job.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.facestream.analyze.FaceAnalyzer;
import io.facestream.detect.DetectorOptions;
import io.facestream.enroll.Enroller;
import io.facestream.enroll.IdentityNaming;
import io.facestream.gallery.FaceGallery;
import io.facestream.gallery.Galleries;
import io.facestream.gallery.GalleryOptions;
import io.facestream.job.JobConfig;
import io.facestream.job.JobTestSupportAccess;
import io.facestream.model.ModelOptions;
import io.facestream.schema.FaceIdentity;
import io.facestream.schema.Frame;
import io.facestream.testing.EmbeddedKafka;
import io.facestream.testing.LocalRedis;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificData;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.formats.avro.AvroSerializationSchema;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.IOUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gallery changes reach a running job without a restart: the sample clip's first frames looped on
 * an unbounded Kafka topic, paced like a camera, Miranda enrolled while the job runs (named within
 * the bound), then deleted (never named once {@code gallery.refresh-interval} has passed).
 */
class LiveGalleryITCase {
    static final String MIRANDA = "lin_manuel_miranda";
    static final String TOPIC = "frames-live";
    static final int LOOP = 60;
    static final long FRAME_MS = 100;
    static final long REFRESH_MS = 1000;

    @RegisterExtension static final MiniClusterExtension CLUSTER = Reliability.miniCluster();

    static final Map<String, Queue<FaceIdentity>> SEEN = new ConcurrentHashMap<>();

    static EmbeddedKafka kafka;
    static LocalRedis redis;

    @TempDir static Path tmp;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start();
        redis = LocalRedis.start();
        JobTestSupportAccess.enrolPeople(redis.url(), Reliability.GALLERY);
        try (FaceGallery g = gallery()) {
            assertThat(g.deleteIdentity(MIRANDA)).isPositive();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        IOUtils.closeAll(redis, kafka);
    }

    static FaceGallery gallery() {
        return Galleries.open(redis.url(), Reliability.GALLERY, GalleryOptions.defaults());
    }

    /** Keeps every identity record the job makes, as it makes it. */
    static final class Keep implements MapFunction<FaceIdentity, FaceIdentity> {
        private final String run;

        Keep(String run) {
            this.run = run;
        }

        @Override
        public FaceIdentity map(FaceIdentity id) {
            SEEN.computeIfAbsent(run, r -> new ConcurrentLinkedQueue<>())
                    .add(SpecificData.get().deepCopy(id.getSchema(), id));
            return id;
        }
    }

    @Test
    void anIdentityEnrolledWhileTheJobRunsIsNamedAndOnceDeletedNeverAgain() throws Exception {
        String run = "live-gallery";
        kafka.createTopic(TOPIC, 1);
        JobConfig cfg =
                Reliability.config(
                        kafka,
                        redis,
                        run,
                        "kafka.topic.frames=" + TOPIC,
                        "kafka.bounded=false",
                        "gallery.refresh-interval=" + REFRESH_MS + "ms");
        List<Frame> clip = Reliability.clipFrames(LOOP);
        Thread camera = new Thread(() -> loop(clip), "looping-camera");
        camera.setDaemon(true);
        camera.start();
        JobClient job =
                Reliability.start(
                        run,
                        cfg,
                        false,
                        f -> f,
                        ids ->
                                ids.map(new Keep(run), new AvroTypeInfo<>(FaceIdentity.class))
                                        .name("keep")
                                        .uid("keep"));
        try {
            Queue<FaceIdentity> seen =
                    SEEN.computeIfAbsent(run, r -> new ConcurrentLinkedQueue<>());
            // Before: a whole pass over the clip, Miranda not in the gallery.
            await(seen, i -> i.getFrameSequence() >= LOOP, 240);
            assertThat(seen).noneMatch(i -> MIRANDA.equals(i.getIdentity()));

            long enrolled = enrolMiranda();
            FaceIdentity first = await(seen, i -> MIRANDA.equals(i.getIdentity()), 120);
            long named = first.getEmitTime().toEpochMilli() - enrolled;
            long framesLater = first.getIngestTime().toEpochMilli() - enrolled;
            System.out.printf(
                    "%s: Miranda named %d ms after her enrolment (frame %d, read %d ms after it)%n",
                    run, named, first.getFrameSequence(), framesLater);
            assertThat(first.getIngestTime().toEpochMilli())
                    .as("named on a frame read after the enrolment, by the running job")
                    .isGreaterThan(enrolled - 5000);
            // The documented bound: once the view has refreshed (the interval plus one Redis
            // read), the next pass over the clip names her: a pass is at most 60 frames, her track
            // is looked up at least every track.max-embed-interval (16) frames, and a gallery
            // change drops the track's UNKNOWN decisions.
            long refreshed = enrolled + REFRESH_MS + 500;
            long readAfter =
                    await(seen, i -> i.getIngestTime().toEpochMilli() > refreshed, 240)
                            .getFrameSequence();
            long pass = (readAfter / LOOP + 1) * LOOP;
            await(seen, i -> i.getFrameSequence() >= pass + LOOP, 240);
            assertThat(seen)
                    .as(
                            "the first whole pass read after the refresh (frames %d-%d)",
                            pass, pass + LOOP - 1)
                    .anyMatch(
                            i ->
                                    i.getFrameSequence() >= pass
                                            && i.getFrameSequence() < pass + LOOP
                                            && MIRANDA.equals(i.getIdentity()));

            long deleted = System.currentTimeMillis();
            try (FaceGallery g = gallery()) {
                assertThat(g.deleteIdentity(MIRANDA)).isPositive();
            }
            long bound = deleted + REFRESH_MS + 500;
            // Two more passes over the clip after the bound: her frames come round again.
            long lastSeq = maxSequence(seen);
            await(seen, i -> i.getFrameSequence() >= lastSeq + 2 * LOOP, 240);
            List<FaceIdentity> after =
                    seen.stream().filter(i -> i.getEmitTime().toEpochMilli() > bound).toList();
            List<Long> mirandaFrames =
                    seen.stream()
                            .filter(i -> MIRANDA.equals(i.getIdentity()))
                            .map(i -> i.getFrameSequence() % LOOP)
                            .distinct()
                            .toList();
            System.out.printf(
                    "%s: last record naming Miranda emitted %d ms after her deletion; %d records"
                            + " after the bound%n",
                    run,
                    seen.stream()
                                    .filter(i -> MIRANDA.equals(i.getIdentity()))
                                    .mapToLong(i -> i.getEmitTime().toEpochMilli())
                                    .max()
                                    .orElse(deleted)
                            - deleted,
                    after.size());
            assertThat(after)
                    .as("faces of the frames where she was named, after the bound")
                    .anyMatch(i -> mirandaFrames.contains(i.getFrameSequence() % LOOP));
            assertThat(after).noneMatch(i -> MIRANDA.equals(i.getIdentity()));
        } finally {
            camera.interrupt();
            job.cancel().get();
        }
    }

    /** Enrols Miranda from her photo, with the real models, as {@code facestream enroll} would. */
    private static long enrolMiranda() throws Exception {
        Path folder = tmp.resolve("gallery").resolve(MIRANDA);
        Files.createDirectories(folder);
        Path photos = JobTestSupportAccess.CLIP.getParent().getParent().resolve("people/gallery");
        try (var files = Files.list(photos.resolve(MIRANDA))) {
            for (Path p : files.toList()) {
                Files.copy(p, folder.resolve(p.getFileName()));
            }
        }
        try (FaceAnalyzer a =
                        FaceAnalyzer.open(
                                null, null, ModelOptions.DEFAULT, DetectorOptions.DEFAULT, 8);
                FaceGallery g = gallery()) {
            var report =
                    new Enroller(a, g, IdentityNaming.AUTO, false)
                            .enroll(tmp.resolve("gallery"), (d, t, f) -> {});
            assertThat(report.addedTotal()).isPositive();
        }
        return System.currentTimeMillis();
    }

    /** The clip's frames over and over, one every {@link #FRAME_MS}, sequence and time rising. */
    private static void loop(List<Frame> clip) {
        var serializer = AvroSerializationSchema.forSpecific(Frame.class);
        byte[] key = "hamilton".getBytes(StandardCharsets.UTF_8);
        try {
            for (long seq = 0; !Thread.currentThread().isInterrupted(); seq++) {
                Frame f = SpecificData.get().deepCopy(Frame.SCHEMA$, clip.get((int) (seq % LOOP)));
                f.setSequence(seq);
                f.setTimestamp(Instant.ofEpochMilli(System.currentTimeMillis()));
                kafka.produce(TOPIC, List.of(Map.entry(key, serializer.serialize(f))));
                TimeUnit.MILLISECONDS.sleep(FRAME_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long maxSequence(Queue<FaceIdentity> seen) {
        return seen.stream().mapToLong(FaceIdentity::getFrameSequence).max().orElse(0);
    }

    private static FaceIdentity await(
            Queue<FaceIdentity> seen, Predicate<FaceIdentity> what, int seconds)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (System.currentTimeMillis() < deadline) {
            for (FaceIdentity i : seen) {
                if (what.test(i)) {
                    return i;
                }
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new AssertionError("not seen within " + seconds + " s; " + seen.size() + " records");
    }
}
