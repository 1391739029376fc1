package io.facestream.flink;

import java.util.Map;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.metrics.groups.InternalOperatorMetricGroup;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.apache.flink.runtime.metrics.util.InterceptingTaskMetricGroup;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;

/**
 * The metrics an operator registers in one of Flink's test harnesses: the harness's environment
 * hands the operator Flink's intercepting operator group, which keeps each metric by name.
 */
final class OperatorMetrics {
    private final InterceptingOperatorMetricGroup operator = new InterceptingOperatorMetricGroup();

    /** An environment for the harness whose operator registers its metrics here. */
    MockEnvironment environment() {
        return new MockEnvironmentBuilder()
                .setMetricGroup(
                        new InterceptingTaskMetricGroup() {
                            @Override
                            public InternalOperatorMetricGroup getOrAddOperator(
                                    OperatorID id, String name, Map<String, String> extra) {
                                return operator;
                            }
                        })
                .build();
    }

    /** The histogram registered as {@code name}, or null. */
    Histogram histogram(String name) {
        return (Histogram) operator.get(name);
    }
}
