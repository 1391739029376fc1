package io.facestream.job.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.facestream.gallery.RedisConnections;
import io.facestream.gallery.RedisTls;
import io.facestream.testing.Cli;
import io.facestream.testing.TestCa;
import io.facestream.testing.TlsRedis;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;

/**
 * Redis over TLS for real: a Redis 8 built with TLS speaks only TLS, with a server certificate from
 * a CA the test makes; the CLI and the streaming job reach it with {@code rediss://}, an ACL user's
 * password and a trust store holding that CA. A trust store with another CA, and a plain {@code
 * redis://} client on the TLS port, fail fast with errors that say what is wrong.
 */
class RedisTlsITCase {
    static final String ADMIN_PW = "admin-s3cret-4d1c";
    static final String USER_PW = "user-s3cret-e83f";
    static final String TRUST_PW = "trust-s3cret-27aa";
    static final Path DATA = NoOutputITCase.DATA;

    @TempDir static Path tmp;
    static TlsRedis redis;
    static Path trust;
    static Path otherTrust;

    @BeforeAll
    static void start() throws Exception {
        TestCa ca = TestCa.create(tmp.resolve("ca"), "facestream test CA");
        TestCa.ServerCert cert =
                ca.issue(tmp.resolve("server"), "localhost", "DNS:localhost,IP:127.0.0.1");
        trust = ca.truststore(tmp.resolve("trust.p12"), TRUST_PW);
        otherTrust =
                TestCa.create(tmp.resolve("other-ca"), "another CA")
                        .truststore(tmp.resolve("other.p12"), TRUST_PW);
        redis = TlsRedis.start(tmp.resolve("redis"), ca, cert, ADMIN_PW);
        RedisTls tls = new RedisTls(trust.toString(), TRUST_PW, "PKCS12");
        try (RedisClient admin = RedisConnections.open(URI.create(redis.url("", ADMIN_PW)), tls)) {
            GalleryAcl.addGalleryUser(admin, "facestream", USER_PW);
        }
        Cli enrol =
                Cli.run(
                        tls(
                                "enroll",
                                "--redis",
                                redis.url("facestream", USER_PW),
                                "-g",
                                "tls",
                                DATA.resolve("people/gallery").toString()));
        assertThat(enrol.rc()).as(enrol.out() + enrol.err()).isZero();
        assertThat(enrol.out()).contains("gallery 'tls' now has 15 entries");
    }

    @AfterAll
    static void stop() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void identifiesOverTlsAsAnAclUser() {
        Cli id =
                Cli.run(
                        tls(
                                "identify",
                                "--redis",
                                redis.url("facestream", USER_PW),
                                "-g",
                                "tls",
                                DATA.resolve("people/scenes/obama_and_biden.jpg").toString()));
        assertThat(id.rc()).as(id.err()).isZero();
        assertThat(id.out()).contains("obama", "biden");
        assertThat(id.out() + id.err()).doesNotContain(USER_PW, TRUST_PW);
    }

    @Test
    void theJobLooksUpEveryFaceOverTls() throws Exception {
        Path out = tmp.resolve("job-out");
        Cli run =
                Cli.run(
                        "run",
                        "--set",
                        "source.uris=clip=" + DATA.resolve("video/faceapi_5frames.mp4"),
                        "--set",
                        "redis.url=" + redis.url("facestream", USER_PW),
                        "--set",
                        "redis.tls.truststore=" + trust,
                        "--set",
                        "redis.tls.truststore-password=" + TRUST_PW,
                        "--set",
                        "gallery.name=tls",
                        "--set",
                        "lookup.max-attempts=1",
                        "--set",
                        "parallelism=1",
                        "--set",
                        "output.dir=" + out);
        assertThat(run.rc()).as(run.err()).isZero();
        List<String> statuses = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(out.resolve("identities.jsonl"))) {
            JsonNode n = json.readTree(line);
            statuses.add(n.get("status").asText());
        }
        // Every face was looked up in the gallery over TLS: none failed.
        assertThat(statuses).isNotEmpty().doesNotContain("LOOKUP_FAILED");
    }

    @Test
    void aTrustStoreWithAnotherCaIsATlsErrorNotAHang() {
        long t0 = System.nanoTime();
        Cli list =
                Cli.run(
                        "gallery",
                        "list",
                        "--redis",
                        redis.url("facestream", USER_PW),
                        "-g",
                        "tls",
                        "--redis-truststore",
                        otherTrust.toString(),
                        "--redis-truststore-password",
                        TRUST_PW);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(list.rc()).isEqualTo(1);
        assertThat(list.err())
                .contains("TLS to Redis at rediss://127.0.0.1:" + redis.port() + " failed")
                .contains("certification path")
                .contains("holds the CA of the server's certificate")
                .doesNotContain(USER_PW, TRUST_PW);
        assertThat(seconds).as("seconds to fail").isLessThan(10);
    }

    @Test
    void aServerWhoseCertificateDoesNotNameTheHostIsRefused() {
        // The same server and CA, reached at an address its certificate does not name.
        String unnamed =
                "rediss://facestream:" + USER_PW + "@" + TlsRedis.UNNAMED_HOST + ":" + redis.port();
        Cli list = Cli.run(tls("gallery", "list", "--redis", unnamed, "-g", "tls"));
        assertThat(list.rc()).isEqualTo(1);
        assertThat(list.err())
                .contains("TLS to Redis at rediss://" + TlsRedis.UNNAMED_HOST)
                .contains("No subject alternative names matching IP address")
                .doesNotContain(USER_PW, TRUST_PW);
    }

    @Test
    void aPlainClientOnTheTlsPortIsToldToUseRediss() {
        long t0 = System.nanoTime();
        String plain = "redis://facestream:" + USER_PW + "@127.0.0.1:" + redis.port();
        Cli list = Cli.run("gallery", "list", "--redis", plain, "-g", "tls");
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(list.rc()).isEqualTo(1);
        assertThat(list.err())
                .contains("redis://127.0.0.1:" + redis.port())
                .contains("rediss://")
                .contains("TLS")
                .doesNotContain(USER_PW);
        assertThat(seconds).as("seconds to fail").isLessThan(10);
    }

    @Test
    void aWrongPasswordOverTlsIsRefusedCredentialsNotTls() {
        Cli list =
                Cli.run(
                        tls(
                                "gallery",
                                "list",
                                "--redis",
                                redis.url("facestream", "guess-w0rd-51c"),
                                "-g",
                                "tls"));
        assertThat(list.rc()).isEqualTo(1);
        assertThat(list.err())
                .contains("refused the credentials")
                .doesNotContain("TLS to Redis", "guess-w0rd-51c", TRUST_PW);
        Cli right =
                Cli.run(
                        tls(
                                "gallery",
                                "list",
                                "--redis",
                                redis.url("facestream", USER_PW),
                                "-g",
                                "tls"));
        assertThat(right.rc()).as(right.err()).isZero();
        assertThat(right.out()).contains("6 identities, 15 entries");
    }

    /** {@code args} with the trust store options that verify the test server. */
    static String[] tls(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(
                List.of(
                        "--redis-truststore",
                        trust.toString(),
                        "--redis-truststore-password",
                        TRUST_PW));
        return all.toArray(String[]::new);
    }
}
