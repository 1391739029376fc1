package io.facestream.job.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.facestream.job.JobTestSupportAccess;
import io.facestream.testing.Cli;
import io.facestream.testing.LocalRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The clip with a broken middle ({@link HostileCorpus#brokenClip}) through {@code facestream run},
 * the CLI's local job with file outputs. A class of its own: the CLI starts its own local cluster,
 * which Flink refuses inside a MiniCluster test context.
 */
class BrokenVideoRunITCase {
    @TempDir Path tmp;

    @Test
    void exitsZeroReportsTheLossAndIdentifiesAroundIt() throws Exception {
        Path clip = HostileCorpus.brokenClip(tmp);
        Path out = tmp.resolve("run-out");
        try (LocalRedis redis = LocalRedis.start()) {
            JobTestSupportAccess.enrolPeople(redis.url(), "people");
            Cli run =
                    Cli.run(
                            "run",
                            "--set",
                            "source.uris=broken=" + clip,
                            "--set",
                            "source.every-nth=25",
                            "--set",
                            "redis.url=" + redis.url(),
                            "--set",
                            "gallery.name=people",
                            "--set",
                            "annotate.enabled=false",
                            "--set",
                            "output.dir=" + out);
            assertThat(run.rc()).as(run.err()).isZero();
        }
        List<String> dead = Files.readAllLines(out.resolve("dead-letters.jsonl"));
        assertThat(dead)
                .singleElement()
                .satisfies(
                        l -> assertThat(l).contains("broken-middle.mp4", "truncated or corrupt"));
        List<String> ids = Files.readAllLines(out.resolve("identities.jsonl"));
        assertThat(ids).anyMatch(l -> l.contains("lin_manuel_miranda"));
        // Frames after the damage (the middle is near frame 137) were identified too.
        assertThat(ids).anyMatch(l -> l.contains("\"frameSequence\":225"));
    }
}
