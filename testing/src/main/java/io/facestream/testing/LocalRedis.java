package io.facestream.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A Redis 8 server run as a child process on 127.0.0.1, for tests, the demo and benchmarks.
 *
 * <p>The binary is {@code $FACESTREAM_REDIS_SERVER}, else the newest build that {@code
 * scripts/redis8.sh build} left in its cache ({@code $FACESTREAM_CACHE}, else {@code
 * $XDG_CACHE_HOME/facestream}, else {@code ~/.cache/facestream}); when there is none, {@link
 * #start} fails and names the script. Nothing is built from here: building needs the network and
 * belongs to provisioning. Snapshots are off; {@link #restart} saves first, so data survives it.
 */
public final class LocalRedis implements AutoCloseable {
    public static final String ENV_SERVER = "FACESTREAM_REDIS_SERVER";
    private static final Logger LOG = LoggerFactory.getLogger(LocalRedis.class);
    private static final Duration STARTUP = Duration.ofSeconds(15);

    private final Path server;
    private final int port;
    private final String password;
    private final Path dataDir;
    private final boolean ownsDataDir;
    private final Thread reaper = new Thread(this::stopProcess, "local-redis-reaper");
    private Process process;

    private LocalRedis(Path server, int port, String password, Path dataDir, boolean ownsDir) {
        this.server = server;
        this.port = port;
        this.password = password;
        this.dataDir = dataDir;
        this.ownsDataDir = ownsDir;
        // A child process outlives a JVM that exits without close(): stop it on the way out.
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /** A server on a free port with a fresh temporary data directory and no password. */
    public static LocalRedis start() {
        return start(0, null, null);
    }

    /**
     * Starts a server.
     *
     * @param port the port, or 0 for a free one
     * @param password {@code requirepass}, or null for none
     * @param dataDir where the data lives, or null for a temporary directory deleted on close
     */
    public static LocalRedis start(int port, String password, Path dataDir) {
        Path server = RedisBinary.locate();
        try {
            Path dir = dataDir != null ? dataDir : Files.createTempDirectory("facestream-redis");
            Files.createDirectories(dir);
            // A free port can be taken between probing and binding: try another one.
            for (int attempt = 1; ; attempt++) {
                LocalRedis redis =
                        new LocalRedis(
                                server,
                                port > 0 ? port : freePort(),
                                password,
                                dir,
                                dataDir == null);
                try {
                    redis.launch();
                    return redis;
                } catch (LocalRedisException e) {
                    Runtime.getRuntime().removeShutdownHook(redis.reaper);
                    if (port > 0 || attempt == 3) {
                        if (dataDir == null) {
                            deleteTree(dir);
                        }
                        throw e;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare a data directory for Redis", e);
        }
    }

    /** The redis-server binary this class runs; see the class comment for where it looks. */
    public static Path locateServer() {
        return RedisBinary.locate();
    }

    /**
     * The redis-server built with TLS ({@code scripts/redis8.sh build --tls}, or {@code
     * $FACESTREAM_REDIS_TLS_SERVER}), for tests that start it with their own certificates.
     */
    public static Path locateTlsServer() {
        return RedisBinary.locate(true);
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** {@code redis://[:password@]127.0.0.1:port}. */
    public String url() {
        return "redis://" + (password != null ? ":" + password + "@" : "") + host() + ":" + port;
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Stops the server after a save and starts it again on the same port and data. */
    public synchronized void restart() {
        stop();
        launch();
    }

    /** Starts a stopped server again on the same port with the data it saved when stopped. */
    public synchronized void resume() {
        if (!isRunning()) {
            launch();
        }
    }

    /**
     * Saves and stops the server (an outage that loses nothing); its data directory stays (see
     * {@link #close}).
     */
    public synchronized void stop() {
        if (isRunning()) {
            try (Jedis jedis = connect()) {
                jedis.save();
            }
        }
        stopProcess();
    }

    /** Stops the server and deletes a data directory this class created. */
    @Override
    public synchronized void close() {
        stopProcess();
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or about to; it finds the process gone.
        }
        if (ownsDataDir) {
            deleteTree(dataDir);
        }
    }

    private synchronized void launch() {
        List<String> cmd = new ArrayList<>(List.of(server.toString()));
        cmd.addAll(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1"));
        cmd.addAll(List.of("--dir", dataDir.toString(), "--dbfilename", "dump.rdb"));
        // Tests want speed, not durability: no background snapshots, no AOF.
        cmd.addAll(List.of("--save", "", "--appendonly", "no", "--daemonize", "no"));
        if (password != null) {
            cmd.addAll(List.of("--requirepass", password));
        }
        Path log = dataDir.resolve("redis.log");
        try {
            process =
                    new ProcessBuilder(cmd)
                            .redirectErrorStream(true)
                            .redirectOutput(log.toFile())
                            .start();
        } catch (IOException e) {
            throw new LocalRedisException("cannot run " + server + ": " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new LocalRedisException(
                        "redis-server exited with " + process.exitValue() + ": " + tail(log));
            }
            try (Jedis jedis = connect()) {
                if ("PONG".equals(jedis.ping())) {
                    LOG.info("Redis {} on port {} (pid {})", server, port, process.pid());
                    return;
                }
            } catch (JedisException notYet) {
                sleep(50);
            }
        }
        stopProcess();
        throw new LocalRedisException(
                "redis-server did not answer PING on port "
                        + port
                        + " within "
                        + STARTUP
                        + ": "
                        + tail(log));
    }

    private Jedis connect() {
        DefaultJedisClientConfig.Builder config =
                DefaultJedisClientConfig.builder().timeoutMillis(1000).autoNegotiateProtocol(false);
        if (password != null) {
            config.password(password);
        }
        return new Jedis(new HostAndPort(host(), port), config.build());
    }

    private void stopProcess() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalRedisException("interrupted while waiting for Redis to start");
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", dir, e.getMessage());
        }
    }
}
