package io.facestream.job;

import io.facestream.schema.FaceIdentity;
import java.nio.file.Path;
import java.util.List;
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

    public static void printSummary(String label, List<FaceIdentity> ids, int frames) {
        JobTestSupport.printSummary(label, ids, frames);
    }

    public static void assertHamiltonIdentities(List<FaceIdentity> ids) {
        JobTestSupport.assertHamiltonIdentities(ids);
    }
}
