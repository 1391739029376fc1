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
 * A live RTSP camera for tests: the shared GStreamer server ({@code ../shared/tools/rtsp/serve.py},
 * Debian's {@code /usr/bin/python3} with {@code gi}) serving a clip in real time, looping, at
 * {@code rtsp://127.0.0.1:PORT/cam}. {@link #stop()} kills it (clients see the stream end) and
 * {@link #start()} brings it back on the same port, as a camera restart would. Fails loudly when
 * the server or its GStreamer packages are missing (scripts/test.sh installs them).
 */
public final class RtspCamera implements AutoCloseable {
    /** ../shared beside the project (the same copy as the udf module's test helper). */
    static final Path SHARED =
            Path.of(System.getProperty("facestream.project.root", ".."))
                    .resolve("../shared")
                    .toAbsolutePath()
                    .normalize();

    private final Path clip;
    private final int port;
    private Process process;

    public RtspCamera(Path clip) throws IOException {
        this.clip = clip;
        try (ServerSocket s = new ServerSocket(0)) {
            this.port = s.getLocalPort();
        }
    }

    /** The camera on the shared sample clip (29.97 fps, 640x360), started. */
    public static RtspCamera hamilton() throws IOException {
        RtspCamera camera = new RtspCamera(SHARED.resolve("data/video/hamilton_clip.mp4"));
        camera.start();
        return camera;
    }

    public String uri() {
        return "rtsp://127.0.0.1:" + port + "/cam";
    }

    /** Starts the server and waits until it listens. */
    public void start() throws IOException {
        Path serve = SHARED.resolve("tools/rtsp/serve.py");
        if (!Files.isRegularFile(serve)) {
            throw new IllegalStateException("the RTSP test camera is missing: " + serve);
        }
        process =
                new ProcessBuilder(
                                "/usr/bin/python3",
                                serve.toString(),
                                clip.toString(),
                                Integer.toString(port),
                                "/cam")
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
            up = serving.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            up = false;
        }
        if (!up) {
            process.destroyForcibly();
            throw new IllegalStateException(
                    "the RTSP test camera did not start (GStreamer packages installed? see"
                            + " scripts/test.sh): "
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
