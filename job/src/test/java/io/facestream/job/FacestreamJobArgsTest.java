package io.facestream.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The streaming job's command line: older {@code --mode stream} lines still run, and a replay is
 * sent to its own entry point (the job package does not know the replay package).
 */
class FacestreamJobArgsTest {
    @Test
    void acceptsSetsAndModeStream() {
        JobConfig cfg =
                FacestreamJob.parseArgs(
                        new String[] {
                            "--mode",
                            "stream",
                            "--set",
                            "parallelism=3",
                            "--set",
                            "source.uris=x.mp4"
                        });
        assertThat(cfg.get(FacestreamOptions.PARALLELISM)).isEqualTo(3);
    }

    @Test
    void sendsAReplayToItsOwnEntryPoint() {
        assertThatThrownBy(() -> FacestreamJob.parseArgs(new String[] {"--mode", "replay"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-c io.facestream.replay.Replay");
        assertThatThrownBy(() -> FacestreamJob.parseArgs(new String[] {"--bogus"}))
                .hasMessageContaining("unknown argument '--bogus'");
    }
}
