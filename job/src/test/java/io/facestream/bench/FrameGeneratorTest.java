package io.facestream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.facestream.schema.Frame;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench's paced source: frames due on a camera's schedule, stamped with their due time. */
class FrameGeneratorTest {
    private static final Path CLIP =
            Path.of(System.getProperty("facestream.project.root", ".."))
                    .resolve("../shared/data/video/hamilton_clip.mp4")
                    .normalize();

    @Test
    void pacedFramesAreMadeWhenDueAndStampedWithTheirDueTime(@TempDir Path dir) throws Exception {
        BenchInput in = BenchInput.load(CLIP, 3, 90);
        Path file = dir.resolve("frames.bin");
        FrameGenerator.write(in, file);
        FrameGenerator gen = new FrameGenerator(file, 1, in.width(), in.height(), true, 20.0);
        gen.open(null);

        long before = System.currentTimeMillis();
        Frame first = gen.map(0L);
        Frame second = gen.map(1L);
        long afterSecond = System.currentTimeMillis();
        long t0 = first.getTimestamp().toEpochMilli();

        assertThat(t0).isBetween(before, afterSecond);
        // 20 fps: due 50 ms after the first, and not made before then
        assertThat(second.getTimestamp().toEpochMilli()).isEqualTo(t0 + 50);
        assertThat(afterSecond).isGreaterThanOrEqualTo(t0 + 50);

        // A frame asked for late (the job held the source back) keeps its due time: the wait
        // counts.
        Thread.sleep(200);
        Frame late = gen.map(2L);
        assertThat(late.getTimestamp().toEpochMilli()).isEqualTo(t0 + 100);
        assertThat(System.currentTimeMillis() - late.getTimestamp().toEpochMilli())
                .isGreaterThanOrEqualTo(150);
    }

    @Test
    void unpacedFramesAreStampedWhenMade(@TempDir Path dir) throws Exception {
        BenchInput in = BenchInput.load(CLIP, 2, 90);
        Path file = dir.resolve("frames.bin");
        FrameGenerator.write(in, file);
        FrameGenerator gen = new FrameGenerator(file, 1, in.width(), in.height(), true);
        gen.open(null);

        long before = System.currentTimeMillis();
        gen.map(0L);
        Thread.sleep(100);
        Frame f = gen.map(1L);

        assertThat(f.getTimestamp().toEpochMilli()).isGreaterThanOrEqualTo(before + 100);
    }
}
