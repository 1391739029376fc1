package io.facestream.job.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.facestream.gallery.FaceGallery;
import io.facestream.gallery.Galleries;
import io.facestream.gallery.GalleryException;
import io.facestream.gallery.GalleryOptions;
import io.facestream.job.FaceRecognitionJob;
import io.facestream.job.FacestreamJob;
import io.facestream.job.JobConfig;
import io.facestream.job.JobTestSupportAccess;
import io.facestream.schema.FaceIdentity;
import io.facestream.schema.Frame;
import io.facestream.schema.FrameEncoding;
import io.facestream.schema.MatchStatus;
import io.facestream.testing.Cli;
import io.facestream.testing.EmbeddedKafka;
import io.facestream.testing.LocalRedis;
import io.facestream.testing.LogCapture;
import io.facestream.testing.TrustStores;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.formats.avro.AvroSerializationSchema;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;

/**
 * Redis with {@code requirepass} and ACL users (a real Redis 8), and the job's secrets kept out of
 * logs, exceptions and what Flink shows: a Kafka job on a real broker and MiniCluster runs with a
 * Redis password and a Kafka {@code sasl.jaas.config} while every log line is captured.
 */
class SecurityITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = JobTestSupportAccess.miniCluster();

    static final String ADMIN_PW = "admin-s3cret-7f2c";
    static final String USER_PW = "user-s3cret-91ab";

    /** Needs percent-encoding in a URL. */
    static final String ODD_PW = "p@ss:w/rd s3cret";

    static final String KAFKA_PW = "kafka-s3cret-5d1e";
    static final String TRUST_PW = "trust-s3cret-8c2a";
    static final String WRONG_PW = "wrong-s3cret-0b7a";
    static final Path DATA =
            Path.of(System.getProperty("facestream.project.root", ".."))
                    .resolve("../shared/data")
                    .normalize();

    static LocalRedis redis;

    @TempDir static Path tmp;

    @BeforeAll
    static void start() throws Exception {
        redis = LocalRedis.start(0, ADMIN_PW, null);
        try (RedisClient admin = RedisClient.create(URI.create(url("", ADMIN_PW)))) {
            // What the gallery needs, on its own keys only.
            GalleryAcl.addGalleryUser(admin, "facestream", USER_PW);
            // resetkeys changes nothing for a new user
            GalleryAcl.addGalleryUser(admin, "odd", ODD_PW);
            // Allowed to log in, not to touch galleries.
            admin.sendCommand(
                    Protocol.Command.ACL,
                    "SETUSER",
                    "other",
                    "on",
                    ">other-pw",
                    "~other:*",
                    "+@all");
        }
        Cli enrol =
                Cli.run(
                        "enroll",
                        "--redis",
                        url("facestream", USER_PW),
                        "-g",
                        "secure",
                        DATA.resolve("people/gallery").toString());
        assertThat(enrol.rc()).as(enrol.out() + enrol.err()).isZero();
    }

    @AfterAll
    static void stop() {
        if (redis != null) {
            redis.close();
        }
    }

    static String url(String user, String password) {
        return "redis://" + user + ":" + password + "@127.0.0.1:" + redis.port();
    }

    @Test
    void worksWithAnAclUserAndRefusesBadCredentialsWithoutShowingThem() {
        Cli list =
                Cli.run("gallery", "list", "--redis", url("facestream", USER_PW), "-g", "secure");
        assertThat(list.rc()).as(list.err()).isZero();
        assertThat(list.out()).contains("6 identities, 15 entries");
        // requirepass: the default user with the admin password.
        Cli asDefault = Cli.run("gallery", "list", "--redis", url("", ADMIN_PW), "-g", "secure");
        assertThat(asDefault.rc()).isZero();
        // A password with @, : and / percent-encoded.
        String encoded =
                java.net.URLEncoder.encode(ODD_PW, StandardCharsets.UTF_8).replace("+", "%20");
        Cli odd = Cli.run("gallery", "list", "--redis", url("odd", encoded), "-g", "secure");
        assertThat(odd.rc()).as(odd.err()).isZero();

        Map<String, String> refused =
                Map.of(
                        url("facestream", "guess-w0rd-3e9"),
                        "refused the credentials",
                        "redis://127.0.0.1:" + redis.port(),
                        "refused the credentials",
                        url("other", "other-pw"),
                        "lacks a permission",
                        url("odd", ODD_PW),
                        "percent-encode",
                        "redis://facestream:pass w0rd-3e9@127.0.0.1:" + redis.port(),
                        "malformed");
        refused.forEach(
                (badUrl, reason) -> {
                    Cli run = Cli.run("gallery", "list", "--redis", badUrl, "-g", "secure");
                    assertThat(run.rc()).as(badUrl).isEqualTo(1);
                    assertThat(run.err())
                            .as(badUrl)
                            .contains(reason)
                            .doesNotContain("guess-w0rd-3e9", "other-pw", "s3cret", "pass w0rd");
                });
    }

    /**
     * A rediss URL against the (TLS-less) local server: the client really starts a TLS handshake,
     * and the failure names the server without the password ({@link RedisTlsITCase} runs against a
     * real TLS server).
     */
    @Test
    void aRedissUrlSpeaksTls() {
        String rediss = "rediss://facestream:" + USER_PW + "@127.0.0.1:" + redis.port();
        GalleryException e = null;
        try (FaceGallery g = Galleries.open(rediss, "secure", GalleryOptions.defaults())) {
            g.count();
        } catch (GalleryException caught) {
            e = caught;
        }
        assertThat(e).isNotNull();
        assertThat(e.getMessage())
                .contains("rediss://127.0.0.1:" + redis.port())
                .doesNotContain(USER_PW);
        // Plain Redis never answers a TLS ClientHello: the handshake is what timed out.
        java.io.StringWriter trace = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(trace));
        assertThat(trace.toString()).contains("sun.security.ssl.SSLSocketImpl.startHandshake");
        assertThat(e.getMessage()).startsWith("TLS to Redis at").contains("trust store");
    }

    /**
     * The CLI's trust store options reach the client: the trust store is loaded with the given
     * password (a wrong one is the key store's own error, named as a TLS problem), and with the
     * right one the client goes on to the handshake; no password shows.
     */
    @Test
    void theCliOpensRedissWithItsTrustStoreOptions() throws Exception {
        Path store = TrustStores.emptyPkcs12(tmp.resolve("truststore.p12"), "trust-s3cret");
        Cli wrong = listOverTls(store, "not-the-s3cret");
        assertThat(wrong.rc()).isEqualTo(1);
        assertThat(wrong.err())
                .contains("TLS to Redis at rediss://127.0.0.1:" + redis.port())
                .contains("PKCS12")
                .doesNotContain("s3cret", USER_PW);
        Cli right = listOverTls(store, "trust-s3cret");
        assertThat(right.rc()).isEqualTo(1);
        assertThat(right.err())
                .contains("TLS to Redis at rediss://127.0.0.1:" + redis.port())
                .doesNotContain("PKCS12", "s3cret", USER_PW);
    }

    /**
     * A job with a Redis password and a Kafka JAAS password, then one whose Redis password is
     * wrong: no password appears in any log line (failures included), in the jobs' global
     * parameters or configuration, or in the job graphs Flink's web UI shows.
     */
    @Test
    void keepsSecretsOutOfLogsAndTheWebUi() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
                LogCapture log = LogCapture.start()) {
            kafka.createTopic("frames", 1);
            byte[] photo = Files.readAllBytes(DATA.resolve("people/scenes/obama_and_biden.jpg"));
            List<Map.Entry<byte[], byte[]>> records = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Frame f =
                        Frame.newBuilder()
                                .setCameraId("cam")
                                .setSequence(i)
                                .setTimestamp(
                                        Instant.ofEpochMilli(
                                                io.facestream.job.kafka.TestFrames.BASE_MS + i))
                                .setWidth(1)
                                .setHeight(1)
                                .setEncoding(FrameEncoding.JPEG)
                                .setData(ByteBuffer.wrap(photo))
                                .build();
                records.add(
                        Map.entry(
                                "cam".getBytes(StandardCharsets.UTF_8),
                                AvroSerializationSchema.forSpecific(Frame.class).serialize(f)));
            }
            kafka.produce("frames", records);
            List<String> shown = new ArrayList<>();
            List<FaceIdentity> found =
                    runJob(kafka, url("facestream", USER_PW), "security-it", shown);
            // The job really used both secrets: it read Kafka and searched the gallery.
            assertThat(found).anyMatch(i -> i.getStatus() == MatchStatus.MATCHED);
            // A wrong Redis password: the failures are logged, the password is not.
            List<FaceIdentity> refused =
                    runJob(kafka, url("facestream", WRONG_PW), "security-it-wrong", shown);
            assertThat(refused)
                    .isNotEmpty()
                    .allMatch(i -> i.getStatus() == MatchStatus.LOOKUP_FAILED);
            shown.add(log.text());
            for (String text : shown) {
                assertThat(text).doesNotContain(USER_PW, KAFKA_PW, WRONG_PW, TRUST_PW);
            }
            assertThat(log.text()).contains("refused the credentials");
            // The capture saw the job: the masked configuration line, and Kafka's own dump of its
            // client settings, where the JAAS config is a password-type value.
            assertThat(log.text())
                    .contains("facestream configuration")
                    .contains("sasl.jaas.config = [hidden]")
                    .contains("redis://facestream:******@127.0.0.1");
        }
    }

    /** {@code gallery list} over {@code rediss://} with the trust store and its password. */
    static Cli listOverTls(Path store, String password) {
        return Cli.run(
                "gallery",
                "list",
                "--redis",
                "rediss://facestream:" + USER_PW + "@127.0.0.1:" + redis.port(),
                "-g",
                "secure",
                "--redis-truststore",
                store.toString(),
                "--redis-truststore-password",
                password);
    }

    /** Runs the Kafka job once; adds what Flink and facestream show of it to {@code shown}. */
    static List<FaceIdentity> runJob(
            EmbeddedKafka kafka, String redisUrl, String prefix, List<String> shown)
            throws Exception {
        String jaas =
                "org.apache.kafka.common.security.plain.PlainLoginModule required"
                        + " username=\"facestream\" password=\""
                        + KAFKA_PW
                        + "\";";
        JobConfig cfg =
                JobConfig.load(
                        null,
                        List.of(
                                "kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                                "kafka.starting-offsets=EARLIEST",
                                "kafka.bounded=true",
                                "kafka.transactional-id-prefix=" + prefix,
                                // PLAINTEXT broker: the JAAS config travels but is unused.
                                "kafka.properties.sasl.jaas.config=" + jaas,
                                "redis.url=" + redisUrl,
                                // Unused by a redis:// URL, but configured: must not show either.
                                "redis.tls.truststore-password=" + TRUST_PW,
                                "gallery.name=secure",
                                "lookup.max-attempts=1",
                                "parallelism=1",
                                "checkpoint.interval=2s"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        FacestreamJob.configure(env, cfg);
        FaceRecognitionJob.Outputs out = FacestreamJob.wire(env, cfg);
        var ids = out.identities().collectAsync();
        JobGraph graph = env.getStreamGraph(false).getJobGraph();
        var client = env.executeAsync(prefix);
        List<FaceIdentity> found = new ArrayList<>();
        ids.forEachRemaining(found::add);
        client.getJobExecutionResult().get();
        shown.add(String.valueOf(env.getConfig().getGlobalJobParameters().toMap()));
        shown.add(env.getConfig().toString());
        shown.add(env.getConfiguration().toString());
        shown.add(String.valueOf(graph.getJobConfiguration().toMap()));
        for (JobVertex v : graph.getVertices()) {
            shown.add(v.getName() + " " + v.getOperatorPrettyName());
        }
        shown.add(cfg.toString());
        shown.add(cfg.kafkaOptions().toString());
        return found;
    }
}
