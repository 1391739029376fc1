package io.facestream.job.security;

import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;

/**
 * The Redis ACL user the security tests give the job: all it needs on the gallery's keys and
 * nothing else ({@code -@dangerous}), so a test shows the job works with least privilege.
 */
final class GalleryAcl {
    private GalleryAcl() {}

    /** Creates (or resets) {@code user} with {@code password}, on {@code facestream:gallery:*}. */
    static void addGalleryUser(RedisClient admin, String user, String password) {
        admin.sendCommand(
                Protocol.Command.ACL,
                "SETUSER",
                user,
                "on",
                ">" + password,
                "resetkeys",
                "~facestream:gallery:*",
                "+@all",
                "-@dangerous");
    }
}
