package io.facestream.job.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.facestream.job.JobConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The wire-format keys: refused when incomplete or unused, secrets never shown; the framing. */
class SchemaRegistryOptionsTest {
    static JobConfig cfg(String... sets) {
        return JobConfig.load(null, List.of(sets));
    }

    @Test
    void readsTheRegistrySettingsAndShowsNoSecret() {
        JobConfig c =
                cfg(
                        "source.uris=a.mp4",
                        "kafka.bootstrap-servers=b:9092",
                        "kafka.wire-format=confluent",
                        "schema-registry.url=https://registry.lan:8081/",
                        "schema-registry.basic-auth.user-info=svc:pw-4a7f",
                        "schema-registry.ssl.truststore.location=/etc/ts.p12",
                        "schema-registry.ssl.truststore.password=ts-9c2e");
        SchemaRegistryOptions o = SchemaRegistryOptions.fromConfiguration(c.conf());
        assertThat(o.url()).isEqualTo("https://registry.lan:8081");
        assertThat(o.userInfo()).isEqualTo("svc:pw-4a7f");
        assertThat(o.truststore()).isEqualTo("/etc/ts.p12");
        assertThat(c.toString() + o).doesNotContain("pw-4a7f", "ts-9c2e");
        assertThat(
                        SchemaRegistryOptions.fromConfiguration(
                                cfg("kafka.bootstrap-servers=b:9092").conf()))
                .as("plain Avro needs no registry")
                .isNull();
    }

    @Test
    void refusesIncompleteOrUnusedWireFormatKeys() {
        assertThatThrownBy(
                        () -> cfg("kafka.bootstrap-servers=b:9092", "kafka.wire-format=confluent"))
                .hasMessage("kafka.wire-format is confluent but schema-registry.url is not set");
        assertThatThrownBy(
                        () -> cfg("kafka.bootstrap-servers=b:9092", "schema-registry.url=http://r"))
                .hasMessageStartingWith("schema-registry.url is set but kafka.wire-format is avro");
        assertThatThrownBy(
                        () ->
                                cfg(
                                        "source.uris=a.mp4",
                                        "output.dir=out",
                                        "kafka.wire-format=confluent",
                                        "schema-registry.url=http://r"))
                .hasMessage(
                        "kafka.wire-format is confluent but the job neither reads nor writes Kafka");
    }

    @Test
    void framesAValueWithMagicByteAndBigEndianId() {
        byte[] framed = ConfluentWire.frame(0x01020304, new byte[] {42, 43});
        assertThat(framed).containsExactly(0, 1, 2, 3, 4, 42, 43);
        assertThat(ConfluentWire.schemaId(framed)).isEqualTo(0x01020304);
        assertThatThrownBy(() -> ConfluentWire.schemaId(new byte[] {0, 1}))
                .hasMessageContaining("fewer than the 5-byte header");
        assertThatThrownBy(() -> ConfluentWire.schemaId(new byte[] {16, 0, 0, 0, 1}))
                .hasMessageContaining("magic byte is 16, not 0");
    }
}
