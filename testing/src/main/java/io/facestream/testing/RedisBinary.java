package io.facestream.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the redis-server that {@code scripts/redis8.sh build} left in its cache, or the one {@value
 * LocalRedis#ENV_SERVER} names. Mirrors the script's cache rule: {@code $FACESTREAM_CACHE}, else
 * {@code $XDG_CACHE_HOME/facestream}, else {@code ~/.cache/facestream}; newest version wins. The
 * TLS build ({@code build --tls}, in {@code redis-VERSION-tls/}, or {@value #ENV_TLS_SERVER}) is
 * looked for apart, so that a build without TLS is never taken for one with it.
 */
final class RedisBinary {
    private static final String ENV_SERVER = LocalRedis.ENV_SERVER;
    static final String ENV_TLS_SERVER = "FACESTREAM_REDIS_TLS_SERVER";
    private static final String TLS_SUFFIX = "-tls";

    private RedisBinary() {}

    static Path locate() {
        return locate(false);
    }

    /** The server built with TLS ({@code tls}) or the plain one. */
    static Path locate(boolean tls) {
        String var = tls ? ENV_TLS_SERVER : ENV_SERVER;
        String env = System.getenv(var);
        if (env != null && !env.isBlank()) {
            Path p = Path.of(env);
            if (!Files.isExecutable(p)) {
                throw new LocalRedisException(var + "=" + env + " is not an executable file");
            }
            return p;
        }
        String dir = tls ? "redis-*" + TLS_SUFFIX : "redis-*";
        return cachedBuild(tls)
                .orElseThrow(
                        () ->
                                new LocalRedisException(
                                        "no Redis 8 server binary"
                                                + (tls ? " built with TLS" : "")
                                                + ": looked for "
                                                + cacheDir().resolve(dir + "/bin/redis-server")
                                                + " and "
                                                + var
                                                + ". Build it once with "
                                                + script()
                                                + (tls ? " build --tls" : " build")
                                                + " (about a minute; needs the Debian"
                                                + " archive), or point "
                                                + var
                                                + " at a Redis 8.0.6+ redis-server"));
    }

    static Path cacheDir() {
        String explicit = System.getenv("FACESTREAM_CACHE");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base =
                xdg != null && !xdg.isBlank()
                        ? Path.of(xdg)
                        : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("facestream");
    }

    private static Optional<Path> cachedBuild(boolean tls) {
        try (Stream<Path> dirs = Files.list(cacheDir())) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("redis-"))
                    .filter(d -> d.getFileName().toString().endsWith(TLS_SUFFIX) == tls)
                    .map(d -> d.resolve("bin/redis-server"))
                    .filter(Files::isExecutable)
                    .max(Comparator.comparing(RedisBinary::versionKey));
        } catch (IOException missingCache) {
            return Optional.empty();
        }
    }

    /** "redis-8.0.10" sorts after "redis-8.0.6": each number zero-padded. */
    private static String versionKey(Path server) {
        String version = server.getParent().getParent().getFileName().toString().substring(6);
        version = version.endsWith(TLS_SUFFIX) ? version.replace(TLS_SUFFIX, "") : version;
        StringBuilder key = new StringBuilder();
        for (String part : version.split("\\.")) {
            key.append(String.format("%08d", parseOrZero(part)));
        }
        return key.toString();
    }

    private static int parseOrZero(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The build script, named from the project root when the run says where that is. */
    private static String script() {
        String root =
                System.getProperty("facestream.project.root", System.getenv("FACESTREAM_HOME"));
        return root == null || root.isBlank()
                ? "scripts/redis8.sh"
                : Path.of(root).resolve("scripts/redis8.sh").toString();
    }
}
