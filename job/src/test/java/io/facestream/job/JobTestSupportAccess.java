package io.facestream.job;

import io.facestream.schema.FaceIdentity;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

/** {@link JobTestSupport} for tests in other packages. */
public final class JobTestSupportAccess {
    public static final Path CLIP = JobTestSupport.CLIP;

    private JobTestSupportAccess() {}

    public static MiniClusterExtension miniCluster() {
        return JobTestSupport.miniCluster();
    }

    public static void enrolPeople(String redisUrl, String gallery) {
        JobTestSupport.enrolPeople(redisUrl, gallery);
    }

    /** A MiniCluster environment without Kryo and without restarts, configured from {@code cfg}. */
    public static StreamExecutionEnvironment env(JobConfig cfg) {
        return JobTestSupport.env(cfg);
    }

    /** Reads an iterator to its end on a thread of its own. */
    public static <T> CompletableFuture<List<T>> drain(Iterator<T> it) {
        return JobTestSupport.drain(it);
    }

    public static void printSummary(String label, List<FaceIdentity> ids, int frames) {
        JobTestSupport.printSummary(label, ids, frames);
    }

    public static void assertHamiltonIdentities(List<FaceIdentity> ids) {
        JobTestSupport.assertHamiltonIdentities(ids);
    }
}
