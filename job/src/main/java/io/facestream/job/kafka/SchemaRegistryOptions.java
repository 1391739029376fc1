package io.facestream.job.kafka;

import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

/**
 * How the job's Kafka values are framed ({@code kafka.wire-format}) and, for the Confluent wire
 * format, how to reach the schema registry ({@code schema-registry.*}: URL, basic auth, TLS trust).
 * The user info and the trust store password are secrets: masked wherever configuration is shown
 * and never part of {@link #toString()}.
 */
public record SchemaRegistryOptions(
        String url,
        String userInfo,
        String truststore,
        String truststorePassword,
        String truststoreType,
        Duration timeout)
        implements Serializable {

    /** Plain Avro binary, or the Confluent framing: magic byte 0, schema id, Avro binary. */
    public enum WireFormat {
        AVRO,
        CONFLUENT
    }

    public static final ConfigOption<WireFormat> WIRE_FORMAT =
            ConfigOptions.key("kafka.wire-format")
                    .enumType(WireFormat.class)
                    .defaultValue(WireFormat.AVRO)
                    .withDescription(
                            "Values on every Kafka topic the job reads or writes: AVRO (the Avro"
                                    + " binary of the schemas/ record, no header) or CONFLUENT"
                                    + " (magic byte 0, 4-byte big-endian schema id, Avro binary;"
                                    + " schemas registered under <topic>-value at submit).");
    public static final ConfigOption<String> URL =
            ConfigOptions.key("schema-registry.url")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Base URL of the registry's Confluent-compatible REST API, e.g."
                                    + " http://registry:8081 or .../apis/ccompat/v7 (Apicurio).");
    public static final ConfigOption<String> USER_INFO =
            ConfigOptions.key("schema-registry.basic-auth.user-info")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("user:password for HTTP basic auth (masked in logs).");
    public static final ConfigOption<String> TRUSTSTORE =
            ConfigOptions.key("schema-registry.ssl.truststore.location")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Trust store for an https:// registry (default: the JVM's trust),"
                                    + " at this path on the client and every task manager.");
    public static final ConfigOption<String> TRUSTSTORE_PASSWORD =
            ConfigOptions.key("schema-registry.ssl.truststore.password")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Its password (masked in logs).");
    public static final ConfigOption<String> TRUSTSTORE_TYPE =
            ConfigOptions.key("schema-registry.ssl.truststore.type")
                    .stringType()
                    .defaultValue("PKCS12")
                    .withDescription("Its type: PKCS12 or JKS.");
    public static final ConfigOption<Duration> TIMEOUT =
            ConfigOptions.key("schema-registry.timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription("Connect and request timeout of registry calls.");

    public SchemaRegistryOptions {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException(
                    "kafka.wire-format is confluent but schema-registry.url is not set");
        }
        url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** The registry settings when the wire format is Confluent, else null. */
    public static SchemaRegistryOptions fromConfiguration(Configuration conf) {
        if (conf.get(WIRE_FORMAT) != WireFormat.CONFLUENT) {
            return null;
        }
        return new SchemaRegistryOptions(
                conf.get(URL),
                conf.get(USER_INFO),
                conf.get(TRUSTSTORE),
                conf.get(TRUSTSTORE_PASSWORD),
                conf.get(TRUSTSTORE_TYPE),
                conf.get(TIMEOUT));
    }

    @Override
    public String toString() {
        return "SchemaRegistryOptions{url="
                + url
                + ", basicAuth="
                + (userInfo != null)
                + ", truststore="
                + truststore
                + "}";
    }
}
