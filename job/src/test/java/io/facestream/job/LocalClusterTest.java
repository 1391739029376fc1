package io.facestream.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.junit.jupiter.api.Test;

class LocalClusterTest {
    @Test
    void listensOnLoopbackUnlessTheOperatorSaysOtherwise() {
        Configuration configured = new Configuration();
        configured.setString("rest.bind-address", "0.0.0.0");
        configured.setString("redis.url", "redis://:s3cret@example:6379");
        Configuration flink = LocalCluster.listenAddresses(new Configuration(), configured);
        assertThat(flink.get(RestOptions.BIND_ADDRESS)).isEqualTo("0.0.0.0");
        assertThat(flink.get(RestOptions.ADDRESS)).isEqualTo("127.0.0.1");
        assertThat(flink.get(JobManagerOptions.BIND_HOST)).isEqualTo("127.0.0.1");
        assertThat(flink.get(JobManagerOptions.ADDRESS)).isEqualTo("127.0.0.1");
        assertThat(flink.get(TaskManagerOptions.BIND_HOST)).isEqualTo("127.0.0.1");
        assertThat(flink.get(TaskManagerOptions.HOST)).isEqualTo("127.0.0.1");
        // Only the addresses come over: the rest of the job's configuration may hold secrets.
        assertThat(flink.toMap()).hasSize(6).doesNotContainKey("redis.url");
    }
}
