package io.facestream.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The project's real schema registry (Apicurio Registry 2.4.2 with its Confluent-compatible API,
 * {@code ../shared/tools/schema-registry/run.sh}) on a free port, built on first use into {@code
 * $SCHEMA_REGISTRY_TARGET} or this project's {@code target/schema-registry} ({@code ../shared} may
 * be read-only). Starting fails with the script's output, never a skipped test. Close to stop it.
 */
public final class LocalSchemaRegistry implements AutoCloseable {
    private static final Path ROOT =
            Path.of(System.getProperty("facestream.project.root", "..")).toAbsolutePath();
    private static final Path SCRIPT =
            ROOT.resolve("../shared/tools/schema-registry/run.sh").normalize();

    private final int port;
    private final String url;

    private LocalSchemaRegistry(int port, String url) {
        this.port = port;
        this.url = url;
    }

    public static LocalSchemaRegistry start() {
        int port = freePort();
        String out = run("start", Integer.toString(port));
        String url = out.strip().lines().reduce((a, b) -> b).orElse("");
        if (!url.startsWith("http://")) {
            throw new IllegalStateException("schema registry did not start: " + out);
        }
        return new LocalSchemaRegistry(port, url);
    }

    /** The Confluent-compatible base URL, e.g. {@code http://127.0.0.1:PORT/apis/ccompat/v7}. */
    public String url() {
        return url;
    }

    @Override
    public void close() {
        run("stop", Integer.toString(port));
    }

    private static String run(String... args) {
        String target = System.getenv("SCHEMA_REGISTRY_TARGET");
        if (target == null || target.isBlank()) {
            target = ROOT.resolve("target/schema-registry").toString();
        }
        String[] cmd = new String[args.length + 1];
        cmd[0] = SCRIPT.toString();
        System.arraycopy(args, 0, cmd, 1, args.length);
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("SCHEMA_REGISTRY_TARGET", target);
            // The script's 60 s default was not enough on a loaded 2-core machine (53 s to start).
            pb.environment().putIfAbsent("SCHEMA_REGISTRY_TIMEOUT", "150");
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(180, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(
                        SCRIPT + " " + String.join(" ", args) + " failed:\n" + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + SCRIPT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
