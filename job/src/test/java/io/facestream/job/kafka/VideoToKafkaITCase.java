package io.facestream.job.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.facestream.job.JobConfig;
import io.facestream.job.JobTestSupportAccess;
import io.facestream.job.SlotGroups;
import io.facestream.testing.EmbeddedKafka;
import io.facestream.testing.LocalRedis;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The main deployment: a video file in, identities, annotated frames and dead letters out on a real
 * KRaft broker, at parallelism 2 on a MiniCluster of exactly 2 slots (one slot sharing group), with
 * the real models and a Redis 8 gallery. The topics are not created by the test: the job creates
 * them at submit. Read back with {@code read_committed}: every face once.
 */
class VideoToKafkaITCase {
    static final int PARALLELISM = 2;

    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(PARALLELISM)
                            .setConfiguration(heap())
                            .build());

    static EmbeddedKafka kafka;
    static LocalRedis redis;

    static Configuration heap() {
        Configuration c = new Configuration();
        c.set(TaskManagerOptions.TASK_HEAP_MEMORY, MemorySize.ofMebiBytes(1024));
        return c;
    }

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start();
        redis = LocalRedis.start();
        JobTestSupportAccess.enrolPeople(redis.url(), "people");
    }

    @AfterAll
    static void stop() throws Exception {
        org.apache.flink.util.IOUtils.closeAll(redis, kafka);
    }

    @Test
    void aVideoFileInIdentitiesOnKafkaOutExactlyOnceInParallelismSlots() throws Exception {
        JobConfig cfg =
                JobConfig.load(
                        null,
                        List.of(
                                "source.uris=hamilton=" + JobTestSupportAccess.CLIP,
                                // Recent event times: records dated 1970 (media time 0) are
                                // past the broker's retention and their segments get deleted.
                                "source.base-timestamp=" + TestFrames.BASE_MS,
                                "kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                                "kafka.transactional-id-prefix=video-to-kafka-it",
                                "kafka.topics.partitions=2",
                                "redis.url=" + redis.url(),
                                "gallery.name=people",
                                "parallelism=" + PARALLELISM,
                                "checkpoint.interval=2s"));
        assertThat(SlotGroups.slots(cfg)).isEqualTo(PARALLELISM);
        assertThat(SlotGroups.describe(cfg))
                .isEqualTo(
                        "the job needs 2 task slots of any size (one slot sharing group, the"
                                + " largest parallelism)");
        JobTopics.runToEnd(cfg, "video-to-kafka-it");

        JobTopics.ClipOutputs out = JobTopics.readClip(kafka, "video to kafka");

        JobTopics.assertClip(out);
        JobTopics.assertEveryFaceIdentified(out.annotated(), out.ids());
        assertThat(kafka.consumeCommitted("dead-letters", 0, Duration.ofSeconds(5))).isEmpty();
    }
}
