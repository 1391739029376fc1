package io.facestream.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Redis 8 built with TLS ({@code scripts/redis8.sh build --tls}) run as a child process that
 * speaks only TLS, on 127.0.0.1 and a free port, with the test's server certificate; clients are
 * not asked for certificates. It also listens on {@value #UNNAMED_HOST}, a loopback address that
 * certificates for {@code localhost} do not name, for host-name checks. Data lives in {@code dir};
 * nothing is saved.
 */
public final class TlsRedis implements AutoCloseable {
    public static final String UNNAMED_HOST = "127.0.0.2";

    private final int port;
    private final Process process;

    private TlsRedis(int port, Process process) {
        this.port = port;
        this.process = process;
    }

    /**
     * Starts the server and waits until it accepts TLS connections.
     *
     * @param password {@code requirepass} for the default user, or null for none
     */
    public static TlsRedis start(Path dir, TestCa ca, TestCa.ServerCert cert, String password)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(LocalRedis.locateTlsServer().toString());
        cmd.addAll(List.of("--port", "0", "--tls-port", Integer.toString(port)));
        cmd.addAll(List.of("--bind", "127.0.0.1 " + UNNAMED_HOST, "--dir", dir.toString()));
        cmd.addAll(List.of("--tls-cert-file", cert.cert().toString()));
        cmd.addAll(List.of("--tls-key-file", cert.key().toString()));
        cmd.addAll(List.of("--tls-ca-cert-file", ca.cert().toString()));
        cmd.addAll(List.of("--tls-auth-clients", "no", "--save", "", "--appendonly", "no"));
        if (password != null) {
            cmd.addAll(List.of("--requirepass", password));
        }
        Path log = dir.resolve("redis.log");
        Process p =
                new ProcessBuilder(cmd)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        TlsRedis redis = new TlsRedis(port, p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IOException("redis-server exited: " + Files.readString(log));
            }
            if (Files.readString(log).contains("Ready to accept connections tls")) {
                return redis;
            }
            Thread.sleep(50);
        }
        redis.close();
        throw new IOException("redis-server did not start TLS in 15 s: " + Files.readString(log));
    }

    public int port() {
        return port;
    }

    /** {@code rediss://user:password@127.0.0.1:port}; user and password may be empty. */
    public String url(String user, String password) {
        return "rediss://" + user + ":" + password + "@127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
