package io.facestream.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A live RTSP camera: the shared GStreamer server ({@code ../shared/tools/rtsp/serve.py}, run by
 * Debian's {@code /usr/bin/python3} with {@code gi}) serving a clip in real time, looping with
 * presentation times that keep rising across loops, at {@code rtsp://127.0.0.1:PORT/PATH}. {@link
 * #stop()} kills it (clients see the stream end) and {@link #start()} brings it back on the same
 * port, as a camera restart would. Fails loudly when the server or its GStreamer packages are
 * missing (scripts/test.sh installs them).
 */
public final class RtspCamera implements AutoCloseable {
    private final Path serve;
    private final Path clip;
    private final String path;
    private final int port;
    private Process process;

    /**
     * A camera (not started yet) on a free port.
     *
     * @param serve the server script, {@code ../shared/tools/rtsp/serve.py}
     * @param clip the video it serves
     * @param path the URI path, starting with {@code /}
     */
    public RtspCamera(Path serve, Path clip, String path) throws IOException {
        if (!Files.isRegularFile(serve)) {
            throw new IllegalStateException("the RTSP camera server is missing: " + serve);
        }
        this.serve = serve;
        this.clip = clip;
        this.path = path;
        try (ServerSocket s = new ServerSocket(0)) {
            this.port = s.getLocalPort();
        }
    }

    public String uri() {
        return "rtsp://127.0.0.1:" + port + path;
    }

    /** Starts the server and waits until it listens. */
    public void start() throws IOException {
        process =
                new ProcessBuilder(
                                "/usr/bin/python3",
                                serve.toString(),
                                clip.toString(),
                                Integer.toString(port),
                                path)
                        .redirectErrorStream(true)
                        .start();
        BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder said = new StringBuilder();
        CompletableFuture<Boolean> serving =
                CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                for (String line; (line = out.readLine()) != null; ) {
                                    said.append(line).append('\n');
                                    if (line.startsWith("serving ")) {
                                        return true;
                                    }
                                }
                            } catch (IOException e) {
                                // the process died: reported below
                            }
                            return false;
                        });
        boolean up;
        try {
            up = serving.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            up = false;
        }
        if (!up) {
            process.destroyForcibly();
            throw new IllegalStateException(
                    "an RTSP camera did not start (GStreamer's RTSP server and python3-gi"
                            + " installed? see scripts/test.sh and ../shared/tools/rtsp/README.md): "
                            + said);
        }
        // Keep draining its output so the server never blocks on a full pipe.
        Thread drain =
                new Thread(
                        () -> {
                            try {
                                out.transferTo(java.io.Writer.nullWriter());
                            } catch (IOException e) {
                                // ended with the process
                            }
                        },
                        "rtsp-camera-output");
        drain.setDaemon(true);
        drain.start();
    }

    /** Kills the server: connected clients see the stream end, new ones are refused. */
    public void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            process = null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
