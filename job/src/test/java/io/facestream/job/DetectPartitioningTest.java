package io.facestream.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.facestream.schema.Frame;
import java.util.List;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamEdge;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

/** How frames reach detect-align: chained to their reader, or rebalanced with detect.rebalance. */
class DetectPartitioningTest {
    static String partitionerIntoDetect(String... sets) {
        JobConfig cfg = JobConfig.load(null, List.of(sets));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(cfg.get(FacestreamOptions.PARALLELISM));
        var frames =
                env.fromSequence(0, 1)
                        .map(i -> (Frame) null, new AvroTypeInfo<>(Frame.class))
                        .name("frames");
        FaceRecognitionJob.build(cfg, frames).identities().print();
        StreamGraph g = env.getStreamGraph();
        StreamNode detect =
                g.getStreamNodes().stream()
                        .filter(n -> n.getOperatorName().equals("detect-align"))
                        .findFirst()
                        .orElseThrow();
        List<StreamEdge> in = detect.getInEdges();
        assertThat(in).hasSize(1);
        return in.get(0).getPartitioner().toString();
    }

    @Test
    void framesAreDetectedWhereTheyWereReadUnlessRebalanced() {
        assertThat(partitionerIntoDetect("source.uris=a.mp4", "parallelism=2"))
                .isEqualTo("FORWARD");
        assertThat(
                        partitionerIntoDetect(
                                "source.uris=a.mp4", "parallelism=2", "detect.rebalance=true"))
                .isEqualTo("REBALANCE");
    }
}
