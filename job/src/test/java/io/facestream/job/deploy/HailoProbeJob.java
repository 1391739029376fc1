package io.facestream.job.deploy;

import java.util.Set;
import org.apache.flink.api.common.externalresource.ExternalResourceInfo;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.operators.SlotSharingGroup;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A minimal job shaped like facestream's placement: a bounded source and a sink in a sized group
 * {@code io}, and a map in a group {@code detect} that asks for {@code hailo: 1}, so it can only
 * run on a TaskManager that declares the resource. The map logs the devices it was given ({@value
 * #MARKER} lines in that TaskManager's log). Submitted by {@link ClusterDeploymentITCase} as a jar
 * built from the test classes, until the real job jar takes its place.
 */
public final class HailoProbeJob {

    static final String MARKER = "HAILO-PROBE";

    public static void main(String[] args) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        SlotSharingGroup io = sized("io").build();
        SlotSharingGroup detect = sized("detect").setExternalResource("hailo", 1).build();
        env.fromSequence(1, 100)
                .name("numbers")
                .uid("numbers")
                .slotSharingGroup(io)
                .map(new DeviceProbe())
                .name("detect-probe")
                .uid("detect-probe")
                .slotSharingGroup(detect)
                .print()
                .name("print")
                .uid("print")
                .slotSharingGroup(io);
        env.execute("hailo-probe");
    }

    private static SlotSharingGroup.Builder sized(String name) {
        return SlotSharingGroup.newBuilder(name)
                .setCpuCores(0.5)
                .setTaskHeapMemoryMB(64)
                .setTaskOffHeapMemoryMB(0)
                .setManagedMemoryMB(0);
    }

    /** Logs the hailo devices of its subtask; fails the job when it was given none. */
    static final class DeviceProbe extends RichMapFunction<Long, Long> {
        private static final Logger LOG = LoggerFactory.getLogger(DeviceProbe.class);

        @Override
        public void open(OpenContext openContext) {
            Set<ExternalResourceInfo> devices =
                    getRuntimeContext().getExternalResourceInfos("hailo");
            if (devices.isEmpty()) {
                throw new IllegalStateException("The detect group got no hailo device");
            }
            for (ExternalResourceInfo device : devices) {
                LOG.info(
                        "{} subtask {} uses hailo device path={} index={}",
                        MARKER,
                        getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(),
                        device.getProperty("path").orElse("?"),
                        device.getProperty("index").orElse("?"));
            }
        }

        @Override
        public Long map(Long value) {
            return value;
        }
    }
}
