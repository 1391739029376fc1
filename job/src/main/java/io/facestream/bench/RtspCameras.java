package io.facestream.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Live RTSP cameras for the soak: one GStreamer server ({@code ../shared/tools/rtsp/serve.py}, run
 * by Debian's {@code /usr/bin/python3} with {@code gi}) per camera, each serving the clip in real
 * time and looping forever with presentation times that keep increasing across loops, as an IP
 * camera that never stops. Closing stops them all.
 */
public final class RtspCameras implements AutoCloseable {
    private final List<Process> servers = new ArrayList<>();
    private final List<String> uris = new ArrayList<>();

    private RtspCameras() {}

    /** Starts {@code n} cameras on {@code clip}; waits until each listens. */
    public static RtspCameras start(Path serve, Path clip, int n) throws IOException {
        if (!Files.isRegularFile(serve)) {
            throw new IllegalStateException("the RTSP camera server is missing: " + serve);
        }
        RtspCameras cams = new RtspCameras();
        try {
            for (int i = 1; i <= n; i++) {
                int port;
                try (ServerSocket s = new ServerSocket(0)) {
                    port = s.getLocalPort();
                }
                String path = "/cam" + i;
                Process p =
                        new ProcessBuilder(
                                        "/usr/bin/python3",
                                        serve.toString(),
                                        clip.toString(),
                                        Integer.toString(port),
                                        path)
                                .redirectErrorStream(true)
                                .start();
                cams.servers.add(p);
                awaitServing(p);
                cams.uris.add("rtsp://127.0.0.1:" + port + path);
            }
        } catch (IOException | RuntimeException e) {
            cams.close();
            throw e;
        }
        return cams;
    }

    public List<String> uris() {
        return List.copyOf(uris);
    }

    private static void awaitServing(Process p) {
        BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
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
            throw new IllegalStateException(
                    "an RTSP camera did not start (GStreamer's RTSP server and python3-gi"
                            + " installed? see ../shared/tools/rtsp/README.md): "
                            + said);
        }
        // Keep reading its output so the server never blocks on a full pipe.
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

    @Override
    public void close() {
        for (Process p : servers) {
            p.destroy();
        }
        for (Process p : servers) {
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
