package io.facestream.job;

import static io.facestream.job.FacestreamOptions.DETECT_PARALLELISM;
import static io.facestream.job.FacestreamOptions.EMBED_PARALLELISM;
import static io.facestream.job.FacestreamOptions.PARALLELISM;

import io.facestream.schema.FaceIdentity;
import io.facestream.schema.internal.FaceCrop;
import io.facestream.schema.internal.FaceEmbedding;
import io.facestream.schema.internal.FaceMatches;
import io.facestream.schema.internal.FrameFaces;
import java.util.Locale;
import org.apache.flink.api.common.operators.SlotSharingGroup;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The job's slot sharing and the slots it needs.
 *
 * <p>By default every operator shares Flink's one default group, so the job needs as many slots as
 * its largest parallelism ({@code parallelism}, or {@code detect.parallelism} / {@code
 * embed.parallelism} when larger), of any kind. Only with {@code detect.accelerator=hailo} or
 * {@code resources.fine-grained} does it use three groups with explicit sizes ({@link #apply}):
 * {@code detect} (asking {@code hailo: 1} with the accelerator, so detection is placed on task
 * managers that have one), {@code embed} and {@code default}; then it needs one slot of each
 * group's size per parallel instance of the group. {@link #describe} says which, for the submit
 * log.
 */
public final class SlotGroups {
    /** A group's size: CPU cores, task heap and task off-heap MB (managed memory: none). */
    record Size(double cpu, int heapMb, int offHeapMb) {
        SlotSharingGroup.Builder builder(String name) {
            return SlotSharingGroup.newBuilder(name)
                    .setCpuCores(cpu)
                    .setTaskHeapMemoryMB(heapMb)
                    .setTaskOffHeapMemoryMB(offHeapMb)
                    .setManagedMemoryMB(0);
        }

        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT, "%s CPU, %d MB heap, %d MB off-heap", cpu, heapMb, offHeapMb);
        }
    }

    static final Size DETECT = new Size(1.0, 512, 256);
    static final Size EMBED = new Size(1.0, 512, 128);
    // Sources, assembly and sinks: light work, sized explicitly too (an unsized group would take a
    // share of every declared resource, hailo included).
    static final Size DEFAULT = new Size(0.5, 256, 64);

    private SlotGroups() {}

    /** Puts the stages into the sized groups; call only when {@link JobConfig#fineGrained()}. */
    static void apply(
            JobConfig cfg,
            SingleOutputStreamOperator<FrameFaces> detected,
            SingleOutputStreamOperator<FaceCrop> tracker,
            SingleOutputStreamOperator<FaceEmbedding> embeddings,
            SingleOutputStreamOperator<FaceMatches> matches,
            SingleOutputStreamOperator<FaceIdentity> identities) {
        SlotSharingGroup.Builder detect = DETECT.builder("detect");
        if (cfg.hailo()) {
            detect.setExternalResource("hailo", 1);
        }
        detected.slotSharingGroup(detect.build());
        SlotSharingGroup embed = EMBED.builder("embed").build();
        embeddings.slotSharingGroup(embed);
        matches.slotSharingGroup(embed);
        // The tracker would inherit the detect group (and its hailo device) from its input.
        SlotSharingGroup light = DEFAULT.builder("default").build();
        tracker.slotSharingGroup(light);
        identities.slotSharingGroup(light);
    }

    /** Slots the job needs in all, on task managers whose slots are all alike. */
    public static int slots(JobConfig cfg) {
        int p = cfg.get(PARALLELISM);
        int detect = cfg.conf().getOptional(DETECT_PARALLELISM).orElse(p);
        int embed = cfg.conf().getOptional(EMBED_PARALLELISM).orElse(p);
        return cfg.fineGrained() ? detect + embed + p : Math.max(p, Math.max(detect, embed));
    }

    /** What the job needs, in words: how many slots, of which kind. */
    public static String describe(JobConfig cfg) {
        int p = cfg.get(PARALLELISM);
        if (!cfg.fineGrained()) {
            return "the job needs "
                    + slots(cfg)
                    + " task slots of any size (one slot sharing group, the largest parallelism)";
        }
        int detect = cfg.conf().getOptional(DETECT_PARALLELISM).orElse(p);
        int embed = cfg.conf().getOptional(EMBED_PARALLELISM).orElse(p);
        return "the job needs "
                + slots(cfg)
                + " task slots in three sized slot sharing groups: "
                + detect
                + " x detect ("
                + DETECT
                + (cfg.hailo() ? ", hailo: 1 on a task manager that declares it" : "")
                + "), "
                + embed
                + " x embed ("
                + EMBED
                + "), "
                + p
                + " x default ("
                + DEFAULT
                + "); task managers need taskmanager.memory.task.off-heap.size for them";
    }
}
