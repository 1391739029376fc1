package io.facestream.cli;

import io.facestream.gallery.FaceGallery;
import io.facestream.gallery.Galleries;
import io.facestream.gallery.GalleryOptions;
import io.facestream.gallery.RedisTls;
import io.facestream.model.ModelResolver;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --redis}, {@code --gallery} and, for {@code rediss://} URLs, the trust store that verifies
 * the server ({@code --redis-truststore}; its password from {@code --redis-truststore-password} or
 * the environment variable {@value #TRUSTSTORE_PASSWORD_ENV}, so it need not show in a process
 * listing). When the URL is the default and nothing answers there, a local Redis 8 is started from
 * the cached build ({@code scripts/redis8.sh start}), with its data under {@code
 * ~/.cache/facestream/redis-data}, and left running for the next command.
 */
public final class RedisMixin {
    static final String DEFAULT_URL = "redis://127.0.0.1:6379";
    static final String TRUSTSTORE_PASSWORD_ENV = "FACESTREAM_REDIS_TRUSTSTORE_PASSWORD";

    @Option(
            names = "--redis",
            paramLabel = "URL",
            defaultValue = DEFAULT_URL,
            description =
                    "Redis URL, redis://[[user]:password@]host:port[/db] (default: ${DEFAULT-VALUE};"
                            + " started locally from the cached Redis 8 build when nothing answers).")
    String url;

    @Option(
            names = {"--gallery", "-g"},
            paramLabel = "NAME",
            defaultValue = "faces",
            description = "Gallery name (default: ${DEFAULT-VALUE}).")
    String gallery;

    @Option(
            names = "--backend",
            defaultValue = "auto",
            description =
                    "Gallery store: auto, vectorset or query-engine (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(
            names = "--quantization",
            defaultValue = "noquant",
            description = "Vector-set quantisation: noquant or q8 (default: ${DEFAULT-VALUE}).")
    String quantization;

    @Option(
            names = "--redis-truststore",
            paramLabel = "FILE",
            description =
                    "For rediss:// URLs: trust store that verifies the server's certificate"
                            + " (default: the JVM's trust).")
    Path truststore;

    @Option(
            names = "--redis-truststore-password",
            paramLabel = "PASSWORD",
            defaultValue = "${env:" + TRUSTSTORE_PASSWORD_ENV + "}",
            description = "Its password (default: $" + TRUSTSTORE_PASSWORD_ENV + ").")
    String truststorePassword;

    @Option(
            names = "--redis-truststore-type",
            paramLabel = "TYPE",
            defaultValue = "PKCS12",
            description = "Its type, PKCS12 or JKS (default: ${DEFAULT-VALUE}).")
    String truststoreType;

    /** How {@code rediss://} connections verify the server. */
    RedisTls tls() {
        return new RedisTls(
                truststore == null ? null : truststore.toAbsolutePath().toString(),
                truststorePassword,
                truststoreType);
    }

    /** The {@code redis.tls.*} job keys that carry {@link #tls()} into a job's configuration. */
    List<String> jobSettings() {
        RedisTls t = tls();
        List<String> sets = new ArrayList<>();
        if (t.truststore() != null) {
            sets.add(RedisTls.TRUSTSTORE_KEY + "=" + t.truststore());
        }
        if (t.truststorePassword() != null) {
            sets.add(RedisTls.TRUSTSTORE_PASSWORD_KEY + "=" + t.truststorePassword());
        }
        sets.add(RedisTls.TRUSTSTORE_TYPE_KEY + "=" + t.truststoreType());
        return sets;
    }

    FaceGallery open() {
        if (DEFAULT_URL.equals(url) && !answers("127.0.0.1", 6379)) {
            startLocal();
        }
        GalleryOptions opts =
                GalleryOptions.defaults()
                        .withBackend(GalleryOptions.Backend.fromConfig(backend))
                        .withQuantization(GalleryOptions.Quantization.fromConfig(quantization));
        return Galleries.open(url, gallery, opts, tls());
    }

    /**
     * The unknown pseudonyms kept next to the gallery ({@code gallery unknowns|promote|forget}).
     */
    io.facestream.gallery.UnknownRegistry unknowns() {
        if (DEFAULT_URL.equals(url) && !answers("127.0.0.1", 6379)) {
            startLocal();
        }
        // Matching options do not matter to listing, expiry (stored deadlines) or removal.
        var any = new io.facestream.gallery.UnknownOptions(0f, java.time.Duration.ofDays(1), 1);
        return io.facestream.gallery.UnknownRegistry.open(url, tls(), gallery, any);
    }

    private static boolean answers(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 300);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static void startLocal() {
        Path root =
                ModelResolver.projectRoot()
                        .orElseThrow(
                                () ->
                                        new IllegalStateException(
                                                "no Redis at "
                                                        + DEFAULT_URL
                                                        + " and no facestream checkout to start"
                                                        + " one from; pass --redis URL"));
        Path data = Path.of(System.getProperty("user.home"), ".cache", "facestream", "redis-data");
        System.err.println(
                "facestream: no Redis at "
                        + DEFAULT_URL
                        + "; starting the local Redis 8 build (data in "
                        + data
                        + "; stop it with scripts/redis8.sh stop 6379)");
        try {
            java.nio.file.Files.createDirectories(data);
            Process p =
                    new ProcessBuilder(
                                    root.resolve("scripts/redis8.sh").toString(),
                                    "start",
                                    "6379",
                                    data.toString())
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .redirectError(ProcessBuilder.Redirect.INHERIT)
                            .start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("scripts/redis8.sh start 6379 failed");
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot start the local Redis: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting Redis", e);
        }
    }
}
