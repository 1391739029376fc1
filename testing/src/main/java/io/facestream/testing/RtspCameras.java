package io.facestream.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Several live {@link RtspCamera}s on one clip ({@code /cam1}, {@code /cam2}, …), as a site of IP
 * cameras that never stop: for the soak benchmark and the live-camera job tests. Closing stops them
 * all.
 */
public final class RtspCameras implements AutoCloseable {
    private final List<RtspCamera> cameras = new ArrayList<>();

    private RtspCameras() {}

    /** Starts {@code n} cameras on {@code clip}; waits until each listens. */
    public static RtspCameras start(Path serve, Path clip, int n) throws IOException {
        RtspCameras cams = new RtspCameras();
        try {
            for (int i = 1; i <= n; i++) {
                RtspCamera camera = new RtspCamera(serve, clip, "/cam" + i);
                cams.cameras.add(camera);
                camera.start();
            }
        } catch (IOException | RuntimeException e) {
            cams.close();
            throw e;
        }
        return cams;
    }

    public List<String> uris() {
        return cameras.stream().map(RtspCamera::uri).toList();
    }

    @Override
    public void close() {
        for (RtspCamera camera : cameras) {
            try {
                camera.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
