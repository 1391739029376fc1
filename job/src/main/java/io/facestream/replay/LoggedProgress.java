package io.facestream.replay;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Progress of a replay on a cluster as log lines, at most one every 10 s. */
final class LoggedProgress implements Replay.Progress {
    private static final Logger LOG = LoggerFactory.getLogger(Replay.class);
    private int total;
    private long lastLog;

    @Override
    public void start(ReplayInputs in, ReplayJob.Settings s) {
        total = in.videos().stream().mapToInt(v -> ReplayJob.expectedFrames(v, s)).sum();
        LOG.info("replaying {} videos, about {} frames", in.videos().size(), total);
    }

    @Override
    public void update(Map<String, Integer> framesPerVideo) {
        long now = System.currentTimeMillis();
        if (now - lastLog >= 10_000) {
            lastLog = now;
            int done = framesPerVideo.values().stream().mapToInt(Integer::intValue).sum();
            LOG.info("replay progress: {}/{} frames {}", done, total, framesPerVideo);
        }
    }
}
