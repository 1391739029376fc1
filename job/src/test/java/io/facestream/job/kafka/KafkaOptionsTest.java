package io.facestream.job.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacet;
import org.apache.flink.streaming.api.lineage.LineageVertexProvider;
import org.junit.jupiter.api.Test;

/** Options reach every client the job builds, validate, and never print secrets. */
class KafkaOptionsTest {
    static final String JAAS =
            "org.apache.kafka.common.security.plain.PlainLoginModule required"
                    + " username=\"job\" password=\"hunter2\";";
    static final Map<String, String> SECURITY =
            Map.of(
                    "security.protocol", "SASL_SSL",
                    "sasl.mechanism", "PLAIN",
                    "sasl.jaas.config", JAAS,
                    "ssl.truststore.location", "/etc/kafka/truststore.jks",
                    "ssl.truststore.password", "changeit",
                    "ssl.key.password", "k3y",
                    "basic.auth.user.info", "secret-user:secret-pass",
                    "client.dns.lookup", "use_all_dns_ips");

    static KafkaOptions options() {
        return KafkaOptions.builder()
                .bootstrapServers("broker-1:9093,broker-2:9093")
                .properties(SECURITY)
                .checkpointInterval(Duration.ofMinutes(1))
                .build();
    }

    @Test
    void passesExtraPropertiesToTheSourceAndEverySink() {
        KafkaOptions o = options();
        List<LineageVertexProvider> clients =
                List.of(
                        KafkaSources.frames(o),
                        KafkaSinks.identities(o),
                        KafkaSinks.annotated(o),
                        KafkaSinks.deadLetters(o));
        for (LineageVertexProvider client : clients) {
            Properties p = clientProperties(client);
            SECURITY.forEach((k, v) -> assertThat(p.getProperty(k)).as(k).isEqualTo(v));
            assertThat(p.getProperty("bootstrap.servers")).isEqualTo("broker-1:9093,broker-2:9093");
        }
        Properties source = clientProperties(KafkaSources.frames(o));
        assertThat(source.getProperty("group.id")).isEqualTo("facestream");
        assertThat(source.getProperty("isolation.level")).isEqualTo("read_committed");
        assertThat(source.getProperty("commit.offsets.on.checkpoint")).isEqualTo("true");
        Properties sink = clientProperties(KafkaSinks.identities(o));
        assertThat(sink.getProperty("transaction.timeout.ms")).isEqualTo("900000");
    }

    @Test
    void readsAFlinkStyleConfiguration() {
        Configuration conf = new Configuration();
        conf.setString("kafka.bootstrap-servers", "localhost:9092");
        conf.setString("kafka.topic.frames", "cams");
        conf.setString("kafka.starting-offsets", "LATEST");
        conf.setString("kafka.transaction-timeout", "5 min");
        conf.setString("execution.checkpointing.interval", "30 s");
        conf.setString("kafka.properties.security.protocol", "SSL");
        conf.setString("kafka.properties.ssl.keystore.password", "changeit");
        KafkaOptions o = KafkaOptions.fromConfiguration(conf);
        assertThat(o.framesTopic()).isEqualTo("cams");
        assertThat(o.identitiesTopic()).isEqualTo("identities");
        assertThat(o.startingOffsets()).isEqualTo(KafkaOptions.StartingOffsets.LATEST);
        assertThat(o.transactionTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(o.checkpointInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.properties())
                .containsOnly(
                        Map.entry("security.protocol", "SSL"),
                        Map.entry("ssl.keystore.password", "changeit"));
        assertThat(o.producerProperties().getProperty("transaction.timeout.ms"))
                .isEqualTo("300000");
    }

    @Test
    void toStringMasksSecretValues() {
        String s = options().toString();
        assertThat(s)
                .doesNotContain("hunter2", "changeit", "k3y", "secret-pass", "PlainLoginModule")
                .contains("sasl.jaas.config=******", "ssl.truststore.password=******")
                .contains("security.protocol=SASL_SSL", "broker-1:9093", "use_all_dns_ips");
    }

    @Test
    void refusesATransactionTimeoutNotAboveTheCheckpointInterval() {
        assertThatThrownBy(
                        () ->
                                KafkaOptions.builder()
                                        .bootstrapServers("localhost:9092")
                                        .transactionTimeout(Duration.ofMinutes(1))
                                        .checkpointInterval(Duration.ofMinutes(2))
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kafka.transaction-timeout (PT1M) must be larger than")
                .hasMessageContaining("checkpoint interval (PT2M)");
    }

    @Test
    void refusesMissingServersAndPropertiesTheOptionsOwn() {
        assertThatThrownBy(() -> KafkaOptions.builder().build())
                .hasMessage("kafka.bootstrap-servers is required");
        assertThatThrownBy(
                        () ->
                                KafkaOptions.builder()
                                        .bootstrapServers("localhost:9092")
                                        .property("transactional.id", "x")
                                        .build())
                .hasMessageContaining("kafka.properties.transactional.id is set by the kafka.*");
    }

    @Test
    void givesEachSinkItsOwnTransactionalIdPrefix() {
        KafkaOptions o = options();
        assertThat(
                        List.of(
                                KafkaSinks.transactionalIdPrefix(o, "identities"),
                                KafkaSinks.transactionalIdPrefix(o, "annotated"),
                                KafkaSinks.transactionalIdPrefix(o, "dead-letters")))
                .doesNotHaveDuplicates()
                .allMatch(p -> p.startsWith("facestream-"));
    }

    /** What the connector will hand its Kafka client, as its public lineage facet reports it. */
    private static Properties clientProperties(LineageVertexProvider client) {
        return client.getLineageVertex().datasets().stream()
                .flatMap(d -> d.facets().values().stream())
                .filter(KafkaDatasetFacet.class::isInstance)
                .map(f -> ((KafkaDatasetFacet) f).getProperties())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no Kafka facet in " + client));
    }
}
