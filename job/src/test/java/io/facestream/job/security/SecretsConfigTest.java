package io.facestream.job.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facestream.gallery.GalleryException;
import io.facestream.gallery.RedisConnections;
import io.facestream.gallery.RedisTls;
import io.facestream.job.FacestreamJob;
import io.facestream.job.JobConfig;
import io.facestream.job.Secrets;
import io.facestream.job.kafka.KafkaOptions;
import io.facestream.job.kafka.KafkaSinks;
import io.facestream.job.kafka.KafkaSources;
import io.facestream.testing.TrustStores;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacet;
import org.apache.flink.streaming.api.lineage.LineageVertexProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.SslVerifyMode;

/**
 * Security settings travel from configuration to the clients, and never into printed text: Kafka
 * SASL/SSL properties from a config file (what {@code flink run} and {@code facestream run} read)
 * reach the source and every sink; a {@code rediss://} URL makes a TLS client with the configured
 * trust store; masks cover the secrets a config may hold under any key.
 */
class SecretsConfigTest {
    static final String JAAS =
            "org.apache.kafka.common.security.scram.ScramLoginModule required"
                    + " username=\"facestream\" password=\"kafka-s3cret\";";

    @TempDir Path tmp;

    @Test
    void kafkaSecuritySettingsFromAConfigFileReachTheSourceAndEverySink() throws Exception {
        Path file = tmp.resolve("job.yaml");
        Files.writeString(
                file,
                String.join(
                        "\n",
                        "kafka.bootstrap-servers: broker:9093",
                        "kafka.properties.security.protocol: SASL_SSL",
                        "kafka.properties.sasl.mechanism: SCRAM-SHA-512",
                        "kafka.properties.sasl.jaas.config: " + JAAS,
                        "kafka.properties.ssl.truststore.location: /etc/kafka/truststore.p12",
                        "kafka.properties.ssl.truststore.password: trust-s3cret",
                        "kafka.properties.ssl.endpoint.identification.algorithm: https",
                        "redis.url: redis://facestream:redis-s3cret@redis:6379/0",
                        ""));
        JobConfig cfg =
                FacestreamJob.parseArgs(
                        new String[] {"--config", file.toString(), "--set", "parallelism=1"});
        KafkaOptions o = cfg.kafkaOptions();
        Map<String, String> expected =
                Map.of(
                        "security.protocol", "SASL_SSL",
                        "sasl.mechanism", "SCRAM-SHA-512",
                        "sasl.jaas.config", JAAS,
                        "ssl.truststore.location", "/etc/kafka/truststore.p12",
                        "ssl.truststore.password", "trust-s3cret",
                        "ssl.endpoint.identification.algorithm", "https");
        for (LineageVertexProvider client :
                List.of(
                        KafkaSources.frames(o),
                        KafkaSinks.identities(o),
                        KafkaSinks.annotated(o),
                        KafkaSinks.deadLetters(o))) {
            Properties p = clientProperties(client);
            expected.forEach((k, v) -> assertThat(p.getProperty(k)).as(k).isEqualTo(v));
        }
        // What is printed of the same configuration holds none of the secrets.
        for (String shown : List.of(cfg.toString(), o.toString())) {
            assertThat(shown)
                    .doesNotContain("kafka-s3cret", "trust-s3cret", "redis-s3cret")
                    .contains("SASL_SSL");
        }
        assertThat(cfg.toString()).contains("redis://facestream:******@redis:6379/0");
    }

    @Test
    void masksSecretsUnderAnyKey() {
        assertThat(Secrets.mask("kafka.properties.basic.auth.user.info", "user:pw"))
                .isEqualTo("******");
        assertThat(Secrets.mask("kafka.properties.ssl.keystore.key", "-----BEGIN"))
                .isEqualTo("******");
        assertThat(Secrets.mask("redis.tls.truststore-password", "x")).isEqualTo("******");
        // A password with an unencoded '@' is masked up to the last '@' before the host.
        assertThat(Secrets.mask("redis.url", "redis://u:p@ss@host:6379/0"))
                .isEqualTo("redis://u:******@host:6379/0");
        assertThat(
                        Secrets.mask(
                                "some.odd.setting",
                                "Module required username=\"a\" password=\"pw\";"))
                .isEqualTo("Module required username=\"a\" password=\"******\";");
        assertThat(Secrets.mask("kafka.topic.frames", "frames")).isEqualTo("frames");
    }

    @Test
    void aRedissUrlMakesATlsClientWithTheConfiguredTrustStore() throws Exception {
        Path store = TrustStores.emptyPkcs12(tmp.resolve("truststore.p12"), "trust-s3cret");
        URI uri = RedisConnections.parse("rediss://facestream:redis-s3cret@redis.example:6380/2");
        RedisTls tls =
                RedisTls.fromConfig(
                        Map.of(
                                RedisTls.TRUSTSTORE_KEY,
                                store.toString(),
                                RedisTls.TRUSTSTORE_PASSWORD_KEY,
                                "trust-s3cret"));
        DefaultJedisClientConfig c = RedisConnections.clientConfig(uri, tls);
        assertThat(c.isSsl()).isTrue();
        assertThat(c.getUser()).isEqualTo("facestream");
        assertThat(c.getPassword()).isEqualTo("redis-s3cret");
        assertThat(c.getDatabase()).isEqualTo(2);
        assertThat(c.getSslOptions()).isNotNull();
        assertThat(c.getSslOptions().getSslVerifyMode()).isEqualTo(SslVerifyMode.FULL);
        // The trust store and its password really reach the SSL context: a wrong one fails.
        assertThat(c.getSslOptions().createSslContext()).isNotNull();
        DefaultJedisClientConfig wrong =
                RedisConnections.clientConfig(
                        uri, new RedisTls(store.toString(), "not-the-password", "PKCS12"));
        assertThatThrownBy(() -> wrong.getSslOptions().createSslContext())
                .isInstanceOf(java.io.IOException.class);
        assertThat(tls.toString()).doesNotContain("trust-s3cret");
        assertThat(RedisConnections.where(uri)).isEqualTo("rediss://redis.example:6380");

        DefaultJedisClientConfig jvm = RedisConnections.clientConfig(uri, RedisTls.JVM_DEFAULT);
        assertThat(jvm.isSsl()).isTrue();
        assertThat(jvm.getSslOptions()).isNull();
        assertThat(jvm.getSslParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");

        DefaultJedisClientConfig plain =
                RedisConnections.clientConfig(
                        RedisConnections.parse("redis://:pw@redis.example"), tls);
        assertThat(plain.isSsl()).isFalse();
        assertThat(plain.getUser()).isNull();
        assertThat(plain.getPassword()).isEqualTo("pw");
    }

    @Test
    void malformedRedisUrlsAreRefusedWithoutShowingThePassword() {
        for (String url :
                List.of(
                        "redis://facestream:pass word@127.0.0.1:6379",
                        "redis://facestream:p@ss@127.0.0.1:6379",
                        "http://facestream:pass-word@127.0.0.1:6379")) {
            assertThatThrownBy(() -> RedisConnections.parse(url))
                    .isInstanceOf(GalleryException.class)
                    .hasMessageContaining("redis://")
                    .hasMessageNotContaining("pass word")
                    .hasMessageNotContaining("p@ss")
                    .hasMessageNotContaining("pass-word");
        }
        // Percent-encoded, the same password is fine and arrives decoded.
        URI ok = RedisConnections.parse("redis://facestream:p%40ss%20w%3Ard@127.0.0.1:6379");
        assertThat(RedisConnections.clientConfig(ok, RedisTls.JVM_DEFAULT).getPassword())
                .isEqualTo("p@ss w:rd");
    }

    /** What the connector hands its Kafka client, as its public lineage facet reports it. */
    static Properties clientProperties(LineageVertexProvider client) {
        return client.getLineageVertex().datasets().stream()
                .flatMap(d -> d.facets().values().stream())
                .filter(KafkaDatasetFacet.class::isInstance)
                .map(f -> ((KafkaDatasetFacet) f).getProperties())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no Kafka facet in " + client));
    }
}
