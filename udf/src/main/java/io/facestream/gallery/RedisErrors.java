package io.facestream.gallery;

import java.util.function.Supplier;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/** Turns Redis client exceptions into {@link GalleryException}s that say what to do. */
final class RedisErrors {
    private RedisErrors() {}

    /**
     * Runs {@code body}, translating client failures.
     *
     * @param where the server, for messages (e.g. {@code redis://127.0.0.1:6379})
     * @param action what was being done, for messages (e.g. {@code "adding to gallery 'friends'"})
     */
    static <T> T call(String where, String action, Supplier<T> body) {
        try {
            return body.get();
        } catch (JedisException e) {
            throw translate(where, action, e);
        }
    }

    static GalleryException translate(String where, String action, JedisException e) {
        String message = String.valueOf(deepestMessage(e));
        if (message.startsWith("NOPERM")) {
            return new GalleryException(
                    "the Redis user at "
                            + where
                            + " lacks a permission for "
                            + action
                            + " ("
                            + message
                            + "); grant it the keys ~facestream:gallery:* and the hash, vector"
                            + " set, transaction and scripting commands (see README, Security)",
                    e);
        }
        if (isAuthFailure(e)) {
            return new GalleryException(
                    "Redis at "
                            + where
                            + " refused the credentials while "
                            + action
                            + " ("
                            + message
                            + "); check the user and password in the Redis URL",
                    e);
        }
        if (isTlsFailure(e)) {
            return new GalleryException(
                    "TLS to Redis at "
                            + where
                            + " failed while "
                            + action
                            + " ("
                            + message
                            + "); check the trust store ("
                            + RedisTls.TRUSTSTORE_KEY
                            + ", its password and type, or the JVM's javax.net.ssl.trustStore),"
                            + " that it holds the CA of the server's certificate, and that the"
                            + " server speaks TLS on that port",
                    e);
        }
        if (isPlainOnTls(where, e, message)) {
            return new GalleryException(
                    "Redis at "
                            + where
                            + " dropped the connection while "
                            + action
                            + " ("
                            + message
                            + "); if that port speaks TLS, connect with rediss://"
                            + where.substring("redis://".length())
                            + " and a trust store (see README, Security)",
                    e);
        }
        if (e instanceof JedisConnectionException) {
            return new GalleryException(
                    "cannot reach Redis at "
                            + where
                            + " while "
                            + action
                            + " ("
                            + message
                            + "); is it running? A local one starts with scripts/redis8.sh start"
                            + " PORT",
                    e);
        }
        return new GalleryException(
                "Redis at " + where + " failed " + action + ": " + e.getMessage(), e);
    }

    /** The message for a key that exists with a type the gallery cannot use. */
    static GalleryException wrongType(UnifiedJedis client, String key, String expected) {
        String actual;
        try {
            actual = client.type(key);
        } catch (JedisException e) {
            actual = "another type";
        }
        return new GalleryException(
                "key '"
                        + key
                        + "' holds a "
                        + actual
                        + ", not a "
                        + expected
                        + "; it is not a facestream gallery: pick another gallery name, or delete"
                        + " the key if it is stale");
    }

    static boolean isWrongType(JedisException e) {
        return e instanceof JedisDataException
                && e.getMessage() != null
                && e.getMessage().startsWith("WRONGTYPE");
    }

    private static boolean isAuthFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (t instanceof JedisAccessControlException
                    || (m != null
                            && (m.startsWith("NOAUTH")
                                    || m.startsWith("WRONGPASS")
                                    || m.contains("invalid password")))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The trust store could not be read (wrong password, type or file) or the TLS handshake failed:
     * problems of configuration, which "is it running?" would send the reader the wrong way.
     */
    private static boolean isTlsFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException
                    || t instanceof java.security.GeneralSecurityException) {
                return true;
            }
            // A key store that will not load, or a handshake that timed out, throws plain
            // IOExceptions: where they were thrown tells them apart from a refused connection.
            for (StackTraceElement frame : t.getStackTrace()) {
                String c = frame.getClassName();
                if (c.startsWith("sun.security.")
                        || c.startsWith("javax.net.ssl.")
                        || c.startsWith("java.security.KeyStore")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * A plain {@code redis://} client on a port that speaks TLS: the server cannot read the request
     * as a TLS record and resets the connection (Redis 8 with OpenSSL 3, tested), closes it or
     * sends a TLS alert (an "unknown reply" to Jedis). A server that crashes mid-request looks the
     * same, which the message allows for.
     */
    private static boolean isPlainOnTls(String where, JedisException e, String message) {
        return where.startsWith("redis://")
                && e instanceof JedisConnectionException
                && (message.contains("Connection reset")
                        || message.contains("Unexpected end of stream")
                        || message.startsWith("Unknown reply"));
    }

    private static String deepestMessage(Throwable e) {
        String message = e.getMessage();
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t.getMessage() != null) {
                message = t.getMessage();
            }
        }
        return message;
    }
}
