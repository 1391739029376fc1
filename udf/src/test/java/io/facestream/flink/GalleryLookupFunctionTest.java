package io.facestream.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.facestream.gallery.FaceGallery;
import io.facestream.gallery.Galleries;
import io.facestream.gallery.GalleryEntry;
import io.facestream.gallery.GalleryOptions;
import io.facestream.gallery.MatchDecision;
import io.facestream.gallery.RedisTls;
import io.facestream.schema.internal.FaceCrop;
import io.facestream.schema.internal.FaceEmbedding;
import io.facestream.schema.internal.FaceMatches;
import io.facestream.testing.LocalRedis;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.functions.async.AsyncRetryStrategy;
import org.apache.flink.streaming.api.operators.async.AsyncWaitOperatorFactory;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.retryable.AsyncRetryStrategies;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The async gallery lookup in Flink's operator harness against a real Redis 8: a normal lookup, a
 * Redis that is down and comes back (retried, then answered), and a server that never answers
 * (timeout → a LOOKUP_FAILED result, counted).
 */
class GalleryLookupFunctionTest {
    static LocalRedis redis;
    static List<FaceEmbedding> faces;

    @BeforeAll
    static void enrolSixFaces() throws Exception {
        redis = LocalRedis.start();
        List<FaceCrop> crops = RealCrops.friends();
        faces = new ArrayList<>();
        try (var h = EmbedBatcherTest.harness()) {
            EmbedBatcherTest.crops = crops;
            h.open();
            EmbedBatcherTest.feed(h, 0, 6);
            faces.addAll(h.extractOutputValues());
        }
        try (FaceGallery g = Galleries.open(redis.url(), "lookup", GalleryOptions.defaults())) {
            List<GalleryEntry> entries = new ArrayList<>();
            for (FaceEmbedding f : faces) {
                entries.add(
                        new GalleryEntry(
                                GalleryEntry.entryId(
                                        new byte[] {(byte) f.getRef().getFace().getFaceIndex()},
                                        0,
                                        0,
                                        1,
                                        1),
                                "person" + f.getRef().getFace().getFaceIndex(),
                                f.getEmbedderModel(),
                                512,
                                "test",
                                0,
                                EmbedBatcherTest.toArray(f.getEmbedding())));
            }
            g.add(entries);
        }
    }

    @AfterAll
    static void stop() {
        redis.close();
    }

    static OneInputStreamOperatorTestHarness<FaceEmbedding, FaceMatches> harness(
            String url, long timeoutMs, AsyncRetryStrategy<FaceMatches> retry) throws Exception {
        return harness(url, "lookup", timeoutMs, retry);
    }

    static OneInputStreamOperatorTestHarness<FaceEmbedding, FaceMatches> harness(
            String url, String gallery, long timeoutMs, AsyncRetryStrategy<FaceMatches> retry)
            throws Exception {
        return harness(
                new LookupSettings(url, gallery, GalleryOptions.defaults(), 3, 2),
                timeoutMs,
                retry);
    }

    static OneInputStreamOperatorTestHarness<FaceEmbedding, FaceMatches> harness(
            LookupSettings settings, long timeoutMs, AsyncRetryStrategy<FaceMatches> retry)
            throws Exception {
        GalleryLookupFunction fn = new GalleryLookupFunction(settings);
        AsyncWaitOperatorFactory<FaceEmbedding, FaceMatches> factory =
                new AsyncWaitOperatorFactory<>(
                        fn, timeoutMs, 10, AsyncDataStream.OutputMode.UNORDERED, retry);
        TypeSerializer<FaceEmbedding> in =
                new AvroTypeInfo<>(FaceEmbedding.class)
                        .createSerializer(
                                new org.apache.flink.api.common.serialization
                                        .SerializerConfigImpl());
        return new OneInputStreamOperatorTestHarness<>(factory, in);
    }

    /**
     * Drives the harness until the operator emits: results and retry timers arrive as mails (the
     * lookup completes on its own thread), and retry delays run on the harness's processing time.
     */
    static void awaitOutput(OneInputStreamOperatorTestHarness<FaceEmbedding, FaceMatches> h)
            throws Exception {
        long t = h.getProcessingTime();
        long deadline = System.currentTimeMillis() + 20_000;
        while (h.getOutput().isEmpty() && System.currentTimeMillis() < deadline) {
            h.setProcessingTime(t += 200);
            TimeUnit.MILLISECONDS.sleep(50);
            drainMailbox(h);
        }
    }

    static void drainMailbox(OneInputStreamOperatorTestHarness<FaceEmbedding, FaceMatches> h)
            throws Exception {
        java.util.Optional<org.apache.flink.streaming.runtime.tasks.mailbox.Mail> mail;
        while ((mail =
                        h.getTaskMailbox()
                                .tryTake(
                                        org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox
                                                .MIN_PRIORITY))
                .isPresent()) {
            mail.get().run();
        }
    }

    /** Looks up the first face alone and returns the one result. */
    static List<FaceMatches> lookUpFirstFace(
            OneInputStreamOperatorTestHarness<FaceEmbedding, FaceMatches> h) throws Exception {
        h.open();
        h.setProcessingTime(0);
        h.processElement(new StreamRecord<>(faces.get(0), 0));
        awaitOutput(h);
        List<FaceMatches> out = h.extractOutputValues();
        assertThat(out).hasSize(1);
        return out;
    }

    static AsyncRetryStrategy<FaceMatches> retries(int attempts) {
        return new AsyncRetryStrategies.FixedDelayRetryStrategyBuilder<FaceMatches>(attempts, 200)
                .ifResult(GalleryLookupFunction.FAILED)
                .build();
    }

    @Test
    void findsEachFaceFirstAmongItsTopK() throws Exception {
        try (var h = harness(redis.url(), 10_000, retries(3))) {
            h.open();
            for (FaceEmbedding f : faces) {
                h.processElement(new StreamRecord<>(f, 0));
            }
            h.endInput();
            List<FaceMatches> out = h.extractOutputValues();
            assertThat(out).hasSize(6).noneMatch(FaceMatches::getLookupFailed);
            for (FaceMatches m : out) {
                assertThat(m.getMatches()).hasSize(3);
                assertThat(m.getMatches().get(0).getIdentity())
                        .isEqualTo("person" + m.getRef().getFace().getFaceIndex());
                assertThat(m.getMatches().get(0).getSimilarity()).isGreaterThan(0.999f);
            }
        }
    }

    @Test
    void comparesWithTemplatesOrEntriesAsMatchDecisionSays() throws Exception {
        for (MatchDecision d : MatchDecision.values()) {
            LookupSettings settings =
                    new LookupSettings(
                            redis.url(),
                            "lookup",
                            GalleryOptions.defaults(),
                            3,
                            2,
                            RedisTls.JVM_DEFAULT,
                            WatchSettings.NONE,
                            d);
            try (var h = harness(settings, 10_000, retries(3))) {
                h.open();
                h.processElement(new StreamRecord<>(faces.get(0), 0));
                h.endInput();
                var best = h.extractOutputValues().get(0).getMatches().get(0);
                assertThat(best.getIdentity()).isEqualTo("person0");
                // A template is found as its identity; an entry by its id and enrolment source.
                if (d == MatchDecision.TEMPLATE) {
                    assertThat(best.getEntryId()).isEqualTo("person0");
                    assertThat(best.getSource()).isEqualTo("template of 1 entry");
                } else {
                    assertThat(best.getEntryId()).hasSize(GalleryEntry.ENTRY_ID_LENGTH);
                    assertThat(best.getSource()).isEqualTo("test");
                }
            }
        }
    }

    @Test
    void retriesWhileRedisIsDownThenAnswers() throws Exception {
        try (var h = harness(redis.url(), 30_000, retries(50))) {
            h.open();
            redis.stop();
            CompletableFuture<Void> back =
                    CompletableFuture.runAsync(
                            () -> {
                                try {
                                    TimeUnit.MILLISECONDS.sleep(1500);
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                                redis.restart();
                            });
            h.setProcessingTime(0);
            h.processElement(new StreamRecord<>(faces.get(0), 0));
            awaitOutput(h);
            back.join();
            List<FaceMatches> out = h.extractOutputValues();
            assertThat(out).hasSize(1);
            assertThat(out.get(0).getLookupFailed())
                    .as("error: %s", out.get(0).getError())
                    .isFalse();
            assertThat(out.get(0).getMatches().get(0).getIdentity()).isEqualTo("person0");
        } finally {
            if (!redis.isRunning()) {
                redis.restart();
            }
        }
    }

    @Test
    void emitsLookupFailedWhenRetriesRunOut() throws Exception {
        try (var h = harness("redis://127.0.0.1:1", 30_000, retries(2))) {
            List<FaceMatches> out = lookUpFirstFace(h);
            assertThat(out.get(0).getLookupFailed()).isTrue();
            assertThat(out.get(0).getError()).contains("127.0.0.1:1");
        }
    }

    @Test
    void emitsLookupFailedWhenTheGalleryIsMissing() throws Exception {
        // Redis answers, but holds no such gallery (as after a restart without its data).
        try (var h = harness(redis.url(), "gone", 30_000, retries(2))) {
            List<FaceMatches> out = lookUpFirstFace(h);
            assertThat(out.get(0).getLookupFailed()).as("not an empty, UNKNOWN result").isTrue();
            assertThat(out.get(0).getMatches()).isEmpty();
            assertThat(out.get(0).getError()).contains("gallery 'gone' does not exist");
        }
    }

    /**
     * A {@code rediss://} lookup opens its client with the configured trust store: one whose
     * password is wrong fails every lookup with the key store's own reason, and the password is in
     * neither the error nor the settings' text. (The local Redis has no TLS, so a handshake that
     * succeeds cannot be shown here.)
     */
    @Test
    void opensRedissClientsWithTheConfiguredTrustStore(@TempDir Path tmp) throws Exception {
        Path store = tmp.resolve("truststore.p12");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        try (OutputStream out = Files.newOutputStream(store)) {
            ks.store(out, "trust-s3cret".toCharArray());
        }
        LookupSettings settings =
                new LookupSettings(
                        "rediss://127.0.0.1:" + redis.port(),
                        "lookup",
                        GalleryOptions.defaults(),
                        3,
                        2,
                        new RedisTls(store.toString(), "not-the-s3cret", "PKCS12"));
        assertThat(settings.toString()).doesNotContain("s3cret").doesNotContain("rediss");
        try (var h = harness(settings, 30_000, retries(1))) {
            List<FaceMatches> out = lookUpFirstFace(h);
            assertThat(out.get(0).getLookupFailed()).isTrue();
            System.out.println("wrong trust store password: " + out.get(0).getError());
            assertThat(out.get(0).getError())
                    .contains("TLS to Redis at rediss://127.0.0.1:" + redis.port())
                    .contains("PKCS12")
                    .contains("redis.tls.truststore")
                    .doesNotContain("s3cret");
        }
    }

    @Test
    void emitsLookupFailedOnTimeout() throws Exception {
        // A TCP server that accepts and never answers: a hung Redis.
        try (ServerSocket silent = new ServerSocket(0);
                var h = harness("redis://127.0.0.1:" + silent.getLocalPort(), 1000, retries(1))) {
            h.open();
            h.setProcessingTime(0);
            h.processElement(new StreamRecord<>(faces.get(0), 0));
            h.setProcessingTime(1001);
            drainMailbox(h);
            List<FaceMatches> out = h.extractOutputValues();
            assertThat(out).hasSize(1);
            assertThat(out.get(0).getLookupFailed()).isTrue();
            assertThat(out.get(0).getError()).isEqualTo("lookup timed out");
        }
    }
}
