package io.facestream.gallery;

import java.io.Serializable;
import java.util.Map;

/**
 * How a {@code rediss://} connection verifies the server: a trust store (file, password, type), or,
 * with {@link #JVM_DEFAULT}, the JVM's default trust (its CA bundle, or whatever {@code
 * -Djavax.net.ssl.trustStore} and {@code -Djavax.net.ssl.trustStorePassword} name). Ignored for
 * {@code redis://} URLs. The host name is always verified against the server's certificate.
 *
 * <p>Config keys: {@value #TRUSTSTORE_KEY}, {@value #TRUSTSTORE_PASSWORD_KEY}, {@value
 * #TRUSTSTORE_TYPE_KEY} (default {@code PKCS12}). {@link #toString()} never shows the password.
 *
 * @param truststore path of the trust store file, or null for the JVM's default trust
 * @param truststorePassword its password, or null for none
 * @param truststoreType its type, e.g. {@code PKCS12} or {@code JKS}
 */
public record RedisTls(String truststore, String truststorePassword, String truststoreType)
        implements Serializable {
    public static final String TRUSTSTORE_KEY = "redis.tls.truststore";
    public static final String TRUSTSTORE_PASSWORD_KEY = "redis.tls.truststore-password";
    public static final String TRUSTSTORE_TYPE_KEY = "redis.tls.truststore-type";

    public static final RedisTls JVM_DEFAULT = new RedisTls(null, null, "PKCS12");

    public RedisTls {
        truststoreType = truststoreType == null ? "PKCS12" : truststoreType;
    }

    /** Reads the {@code redis.tls.*} keys; none set is {@link #JVM_DEFAULT}. */
    public static RedisTls fromConfig(Map<String, String> config) {
        return new RedisTls(
                config.get(TRUSTSTORE_KEY),
                config.get(TRUSTSTORE_PASSWORD_KEY),
                config.getOrDefault(TRUSTSTORE_TYPE_KEY, "PKCS12"));
    }

    @Override
    public String toString() {
        return "RedisTls{truststore="
                + (truststore == null ? "(JVM default)" : truststore)
                + ", truststorePassword="
                + (truststorePassword == null ? "(none)" : "******")
                + ", truststoreType="
                + truststoreType
                + "}";
    }
}
