package io.facestream.gallery;

import java.io.File;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.SslOptions;
import redis.clients.jedis.SslVerifyMode;

/**
 * Turns a Redis URL, {@code redis[s]://[[user]:password@]host[:port][/db]}, into a Jedis client:
 * the ACL user and password from the URL's user info (percent-decoded, so a password with
 * {@code @}, {@code :} or {@code /} is written {@code %40}, {@code %3A}, {@code %2F}), the database
 * from the path, TLS for {@code rediss://} with the trust of a {@link RedisTls}. The port defaults
 * to 6379.
 *
 * <p>Nothing here ever puts the password into a message: errors show {@link #where} (scheme, host
 * and port) or the URL with its user info masked.
 */
public final class RedisConnections {
    private RedisConnections() {}

    /**
     * The URL parsed and checked; a malformed one is a {@link GalleryException} without secrets.
     */
    public static URI parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            // URISyntaxException's own message repeats the whole URL, password included.
            throw new GalleryException(
                    "Redis URL '"
                            + masked(url)
                            + "' is malformed ("
                            + e.getReason()
                            + " at index "
                            + e.getIndex()
                            + "); write it as redis[s]://[[user]:password@]host:port[/db] and"
                            + " percent-encode special characters in the user and password (%40"
                            + " for @)");
        }
        String scheme = String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
        if (!scheme.equals("redis") && !scheme.equals("rediss")) {
            throw new GalleryException(
                    "Redis URL '"
                            + masked(url)
                            + "' must start with redis:// (plain) or rediss:// (TLS)");
        }
        if (uri.getHost() == null) {
            throw new GalleryException(
                    "Redis URL '"
                            + masked(url)
                            + "' has no host; percent-encode special characters in the user and"
                            + " password (%40 for @, %3A for :, %2F for /)");
        }
        return uri;
    }

    /** The server as messages may show it: {@code scheme://host:port}, never the user info. */
    public static String where(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + ":" + port(uri);
    }

    /** The URL with whatever sits between {@code ://} and the last {@code @} masked. */
    public static String masked(String url) {
        if (url == null) {
            return null;
        }
        int start = url.indexOf("://");
        int at = url.lastIndexOf('@');
        if (start < 0 || at < start) {
            return url;
        }
        return url.substring(0, start + 3) + "******" + url.substring(at);
    }

    /** The client settings the URL and {@code tls} ask for. */
    public static DefaultJedisClientConfig clientConfig(URI uri, RedisTls tls) {
        DefaultJedisClientConfig.Builder b = DefaultJedisClientConfig.builder();
        String userInfo = uri.getUserInfo(); // percent-decoded
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            String user = colon < 0 ? null : userInfo.substring(0, colon);
            String password = colon < 0 ? userInfo : userInfo.substring(colon + 1);
            // redis://:password@ is the default user with a requirepass password.
            b.user(user == null || user.isEmpty() ? null : user);
            b.password(password.isEmpty() ? null : password);
        }
        b.database(database(uri));
        if ("rediss".equalsIgnoreCase(uri.getScheme())) {
            b.ssl(true);
            if (tls.truststore() != null) {
                SslOptions.Builder ssl =
                        SslOptions.builder()
                                .truststore(
                                        new File(tls.truststore()),
                                        tls.truststorePassword() == null
                                                ? null
                                                : tls.truststorePassword().toCharArray())
                                .trustStoreType(tls.truststoreType())
                                .sslVerifyMode(SslVerifyMode.FULL);
                b.sslOptions(ssl.build());
            } else {
                // The JVM's default SSL socket factory (so javax.net.ssl.trustStore applies);
                // Jedis checks the host name only when told to.
                javax.net.ssl.SSLParameters params = new javax.net.ssl.SSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                b.sslParameters(params);
            }
        }
        return b.build();
    }

    /** A pooled client for the URL; the caller closes it. */
    public static RedisClient open(URI uri, RedisTls tls) {
        return RedisClient.builder()
                .hostAndPort(new HostAndPort(uri.getHost(), port(uri)))
                .clientConfig(clientConfig(uri, tls))
                .build();
    }

    static int port(URI uri) {
        return uri.getPort() < 0 ? Protocol.DEFAULT_PORT : uri.getPort();
    }

    private static int database(URI uri) {
        String path = uri.getPath();
        if (path == null || path.isEmpty() || path.equals("/")) {
            return Protocol.DEFAULT_DATABASE;
        }
        try {
            return Integer.parseInt(path.substring(1));
        } catch (NumberFormatException e) {
            throw new GalleryException(
                    "Redis URL "
                            + where(uri)
                            + path
                            + ": the path must be a database number, e.g. /0");
        }
    }
}
