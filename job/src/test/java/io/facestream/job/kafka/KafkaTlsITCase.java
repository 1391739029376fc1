package io.facestream.job.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.facestream.job.JobConfig;
import io.facestream.job.JobTestSupportAccess;
import io.facestream.schema.AnnotatedFrame;
import io.facestream.schema.FaceIdentity;
import io.facestream.schema.Frame;
import io.facestream.testing.EmbeddedKafka;
import io.facestream.testing.LocalRedis;
import io.facestream.testing.TestCa;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka over TLS for real: the in-JVM broker's client listener speaks only TLS with a server
 * certificate (subject alternative names {@code localhost}, {@code 127.0.0.1}) from a CA the test
 * makes. The job reads the sample clip's first frames and writes identities and annotated frames
 * over it, configured only through {@code kafka.properties.*}, and the outputs are read back over
 * TLS with {@code read_committed}. A trust store holding another CA fails the submission at once,
 * with an error that names TLS, the certificate and the broker.
 */
class KafkaTlsITCase {
    static final String PASSWORD = "tls-s3cret-9b2e";
    static final int FRAMES = 20;

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = JobTestSupportAccess.miniCluster();

    @TempDir static Path tmp;
    static EmbeddedKafka kafka;
    static LocalRedis redis;
    static Path otherTrust;

    @BeforeAll
    static void start() throws Exception {
        TestCa ca = TestCa.create(tmp.resolve("ca"), "facestream Kafka test CA");
        TestCa.ServerCert cert =
                ca.issue(tmp.resolve("broker"), "localhost", "DNS:localhost,IP:127.0.0.1");
        kafka =
                EmbeddedKafka.startTls(
                        new EmbeddedKafka.Tls(
                                ca.keystore(cert, tmp.resolve("broker.p12"), PASSWORD),
                                ca.truststore(tmp.resolve("trust.p12"), PASSWORD),
                                PASSWORD));
        otherTrust =
                TestCa.create(tmp.resolve("other-ca"), "another CA")
                        .truststore(tmp.resolve("other.p12"), PASSWORD);
        redis = LocalRedis.start();
        JobTestSupportAccess.enrolPeople(redis.url(), "people");
        for (String t : List.of("frames", "identities", "annotated-frames", "dead-letters")) {
            kafka.createTopic(t, 1);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (redis != null) {
            redis.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void identifiesFramesReadAndWrittenOverTls() throws Exception {
        List<Map.Entry<byte[], byte[]>> records = new ArrayList<>();
        byte[] key = "hamilton".getBytes(StandardCharsets.UTF_8);
        for (Frame f : TestFrames.clip(FRAMES)) {
            records.add(Map.entry(key, TestFrames.avro(f)));
        }
        // Over TLS already: the test's producer uses the same client settings as the job.
        kafka.produce("frames", records);

        JobTopics.runToEnd(config(kafka.clientTlsProperties(), "kafka-tls-it"), "kafka-tls-it");

        List<AnnotatedFrame> annotated =
                JobTopics.read(
                        kafka, "annotated-frames", FRAMES, JobTopics.avro(AnnotatedFrame.class));
        List<FaceIdentity> ids =
                JobTopics.read(
                        kafka,
                        "identities",
                        1,
                        JobTopics.avroKeyed(FaceIdentity.class, "hamilton"));
        JobTestSupportAccess.printSummary("kafka-tls", ids, annotated.size());
        JobTopics.assertNothingTwice(annotated, ids, FRAMES);
        JobTopics.assertEveryFaceIdentified(annotated, ids);
        assertThat(ids)
                .extracting(FaceIdentity::getIdentity)
                .as("Miranda is named over TLS")
                .contains("lin_manuel_miranda");
    }

    @Test
    void aTrustStoreWithAnotherCaFailsAtSubmitNamingTls() {
        Map<String, String> wrong = new java.util.TreeMap<>(kafka.clientTlsProperties());
        wrong.put("ssl.truststore.location", otherTrust.toString());
        long start = System.nanoTime();
        Throwable error =
                catchThrowable(
                        () -> JobTopics.runToEnd(config(wrong, "kafka-tls-wrong"), "wrong-ca"));
        System.out.println("wrong CA: " + error);
        assertThat(error)
                .hasMessageContaining("TLS handshake")
                .hasMessageContaining(kafka.bootstrapServers())
                .hasMessageContaining("unable to find valid certification path")
                .hasMessageContaining("certificate")
                .hasMessageContaining("kafka.properties.ssl.truststore.location");
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .as("fails fast, not after the admin timeout")
                .isLessThan(Duration.ofSeconds(15));
    }

    private static JobConfig config(Map<String, String> tls, String txPrefix) {
        List<String> kv =
                new ArrayList<>(
                        List.of(
                                "kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                                "kafka.starting-offsets=EARLIEST",
                                "kafka.bounded=true",
                                "kafka.transactional-id-prefix=" + txPrefix,
                                "kafka.admin-timeout=30s",
                                "redis.url=" + redis.url(),
                                "gallery.name=people",
                                "parallelism=1",
                                "checkpoint.interval=2s"));
        tls.forEach((k, v) -> kv.add(KafkaOptions.PROPERTIES_PREFIX + k + "=" + v));
        return JobConfig.load(null, kv);
    }
}
