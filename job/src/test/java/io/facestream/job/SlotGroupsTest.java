package io.facestream.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Slots the job asks for: its largest parallelism by default, one per group instance otherwise. */
class SlotGroupsTest {
    static JobConfig cfg(String... sets) {
        return JobConfig.load(null, List.of(sets));
    }

    @Test
    void oneGroupNeedsTheLargestParallelism() {
        assertThat(SlotGroups.slots(cfg("source.uris=a.mp4", "parallelism=3"))).isEqualTo(3);
        assertThat(
                        SlotGroups.slots(
                                cfg("source.uris=a.mp4", "parallelism=2", "embed.parallelism=4")))
                .isEqualTo(4);
    }

    @Test
    void anAcceleratorSplitsTheJobIntoSizedGroups() {
        JobConfig hailo =
                cfg(
                        "source.uris=a.mp4",
                        "parallelism=2",
                        "detect.parallelism=1",
                        "detect.accelerator=hailo");
        assertThat(SlotGroups.slots(hailo)).isEqualTo(5);
        assertThat(SlotGroups.describe(hailo))
                .isEqualTo(
                        "the job needs 5 task slots in three sized slot sharing groups: 1 x detect"
                                + " (1.0 CPU, 512 MB heap, 256 MB off-heap, hailo: 1 on a task"
                                + " manager that declares it), 2 x embed (1.0 CPU, 512 MB heap,"
                                + " 128 MB off-heap), 2 x default (0.5 CPU, 256 MB heap, 64 MB"
                                + " off-heap); task managers need"
                                + " taskmanager.memory.task.off-heap.size for them");
    }
}
