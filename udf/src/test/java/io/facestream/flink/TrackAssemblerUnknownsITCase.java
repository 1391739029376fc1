package io.facestream.flink;

import static io.facestream.flink.TrackAssemblerTest.appearances;
import static io.facestream.flink.TrackAssemblerTest.ended;
import static io.facestream.flink.TrackAssemblerTest.frameIn;
import static io.facestream.flink.TrackAssemblerTest.matchIn;
import static io.facestream.flink.TrackAssemblerTest.matches;
import static io.facestream.flink.TrackAssemblerTest.tracked;
import static org.assertj.core.api.Assertions.assertThat;

import io.facestream.analyze.FaceAnalyzer;
import io.facestream.detect.DetectorOptions;
import io.facestream.gallery.Pseudonym;
import io.facestream.gallery.RedisTls;
import io.facestream.gallery.UnknownOptions;
import io.facestream.gallery.UnknownRegistry;
import io.facestream.model.ModelOptions;
import io.facestream.schema.AppearanceEvent;
import io.facestream.schema.FaceAppearance;
import io.facestream.schema.FaceIdentity;
import io.facestream.schema.internal.FaceMatches;
import io.facestream.schema.internal.TrackedFrame;
import io.facestream.testing.LocalRedis;
import io.facestream.testing.TestData;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * The track assembler gives an unknown track's ENDED event its pseudonym exactly once: a run that
 * fails after the event was sent (and Redis written) and restarts from the checkpoint before it
 * sends the same event with the same pseudonym and counts the appearance once. Real Redis 8, the
 * real embedding of a real photo as every face's embedding.
 */
class TrackAssemblerUnknownsITCase {
    static final UnknownOptions OPTIONS = new UnknownOptions(0.4f, Duration.ofDays(1), 5);
    static LocalRedis redis;
    static String model;
    static List<Float> obama;

    @BeforeAll
    static void start() {
        redis = LocalRedis.start();
        try (FaceAnalyzer a =
                FaceAnalyzer.open(null, null, ModelOptions.DEFAULT, DetectorOptions.DEFAULT, 8)) {
            model = a.embedder().spec().id();
            float[] e =
                    a.analyze(TestData.data("people/gallery/obama/obama_a.jpg")).get(0).embedding();
            obama = new ArrayList<>();
            for (float x : e) {
                obama.add(x);
            }
        }
    }

    @AfterAll
    static void stop() {
        redis.close();
    }

    static KeyedTwoInputStreamOperatorTestHarness<String, TrackedFrame, FaceMatches, FaceIdentity>
            harness() throws Exception {
        return harness(OPTIONS, 60_000);
    }

    static KeyedTwoInputStreamOperatorTestHarness<String, TrackedFrame, FaceMatches, FaceIdentity>
            harness(UnknownOptions options, long expireEveryMs) throws Exception {
        AssembleSettings a =
                new AssembleSettings(0.4f, Float.POSITIVE_INFINITY, "g", 1_000, false, 85, false);
        UnknownSettings u =
                new UnknownSettings(
                        true,
                        redis.url(),
                        RedisTls.JVM_DEFAULT,
                        "g",
                        model,
                        options,
                        expireEveryMs);
        return new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(
                        new TrackAssembler(a, TrackerFunctionTest.settings(false), u)),
                TrackedFrame::getCameraId,
                m -> m.getRef().getCameraId(),
                Types.STRING);
    }

    /** Frames {@code from..to-1} of track 1, embedded from frame 2, matching nobody well. */
    static void feed(
            KeyedTwoInputStreamOperatorTestHarness<String, TrackedFrame, FaceMatches, FaceIdentity>
                    h,
            int from,
            int to)
            throws Exception {
        for (int s = from; s < to; s++) {
            TrackedFrame t = tracked(s, s >= 2, null);
            frameIn(h, t);
            if (s >= 2) {
                FaceMatches m = matches(t, "ross", 0.2f);
                m.setEmbedding(obama);
                matchIn(h, m);
            }
        }
    }

    static String endedPseudonym(List<FaceAppearance> events) {
        return events.stream()
                .filter(e -> e.getEvent() == AppearanceEvent.ENDED)
                .map(FaceAppearance::getPseudonym)
                .reduce((x, y) -> y)
                .orElseThrow();
    }

    @Test
    void aReplayAfterAFailureGivesTheSamePseudonymAndCountsTheAppearanceOnce() throws Exception {
        OperatorSubtaskState snapshot;
        String first;
        try (var h = harness()) {
            h.open();
            feed(h, 0, 4);
            snapshot = h.snapshot(1, 1);
            feed(h, 4, 6);
            frameIn(h, ended(6, 1));
            // This attempt's ENDED event is lost with the failure; Redis keeps what it wrote.
            first = endedPseudonym(appearances(h));
            assertThat(appearances(h))
                    .filteredOn(e -> e.getEvent() != AppearanceEvent.ENDED)
                    .isNotEmpty()
                    .allMatch(e -> e.getPseudonym() == null);
        }
        String replayed;
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            feed(h, 4, 6);
            frameIn(h, ended(6, 1));
            List<FaceAppearance> events = appearances(h);
            replayed = endedPseudonym(events);
            assertThat(events)
                    .as("after the restore only the track's end is due")
                    .extracting(FaceAppearance::getEvent)
                    .containsExactly(AppearanceEvent.ENDED);
        }

        assertThat(first).startsWith("unknown-");
        assertThat(replayed).isEqualTo(first);
        try (UnknownRegistry r =
                UnknownRegistry.open(redis.url(), RedisTls.JVM_DEFAULT, "g", OPTIONS)) {
            Pseudonym p = r.get(first).orElseThrow();
            assertThat(p.appearances()).isEqualTo(1);
            assertThat(p.vectors()).isEqualTo(1);
            assertThat(p.cameras()).containsOnlyKeys(TrackedFrames.CAMERA);
            assertThat(r.list()).hasSize(1);
        }
    }

    @Test
    void theJobRemovesExpiredPseudonymsByItself() throws Exception {
        UnknownOptions shortLived = new UnknownOptions(0.4f, Duration.ofMillis(200), 5);
        try (var h = harness(shortLived, 100);
                UnknownRegistry r =
                        UnknownRegistry.open(redis.url(), RedisTls.JVM_DEFAULT, "g", OPTIONS)) {
            r.forgetAll();
            h.open();
            feed(h, 0, 6);
            frameIn(h, ended(6, 1));
            String p = endedPseudonym(appearances(h));
            assertThat(p).startsWith("unknown-");
            long deadline = System.currentTimeMillis() + 10_000;
            while (r.get(p).isPresent() && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(r.get(p)).as("expired by the job").isEmpty();
            assertThat(r.list()).isEmpty();
            try (RedisClient c = RedisClient.create(URI.create(redis.url()))) {
                assertThat(c.vcard(r.setKey())).isZero();
            }
        }
    }
}
