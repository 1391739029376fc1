package io.facestream.gallery;

import io.facestream.model.ModelResolver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the redis-server that {@code scripts/redis8.sh build} left in its cache, or the one {@value
 * LocalRedis#ENV_SERVER} names. Mirrors the script's cache rule: {@code $FACESTREAM_CACHE}, else
 * {@code $XDG_CACHE_HOME/facestream}, else {@code ~/.cache/facestream}; newest version wins.
 */
final class RedisBinary {
    private static final String ENV_SERVER = LocalRedis.ENV_SERVER;

    private RedisBinary() {}

    static Path locate() {
        String env = System.getenv(ENV_SERVER);
        if (env != null && !env.isBlank()) {
            Path p = Path.of(env);
            if (!Files.isExecutable(p)) {
                throw new GalleryException(ENV_SERVER + "=" + env + " is not an executable file");
            }
            return p;
        }
        return cachedBuild()
                .orElseThrow(
                        () ->
                                new GalleryException(
                                        "no Redis 8 server binary: looked for "
                                                + cacheDir().resolve("redis-*/bin/redis-server")
                                                + " and "
                                                + ENV_SERVER
                                                + ". Build it once with "
                                                + script()
                                                + " build (about a minute; needs the Debian"
                                                + " archive), or point "
                                                + ENV_SERVER
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

    private static Optional<Path> cachedBuild() {
        try (Stream<Path> dirs = Files.list(cacheDir())) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("redis-"))
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

    private static String script() {
        return ModelResolver.projectRoot()
                .map(root -> root.resolve("scripts/redis8.sh").toString())
                .orElse("scripts/redis8.sh");
    }
}
