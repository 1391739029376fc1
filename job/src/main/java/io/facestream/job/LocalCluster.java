package io.facestream.job;

import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The local MiniCluster every CLI run ({@code run}, {@code demo}, {@code replay}, {@code bench})
 * starts in its own JVM, listening on loopback only: its REST API ({@code rest.bind-address}), the
 * job manager's RPC and BLOB server ({@code jobmanager.bind-host}) and the task manager's RPC and
 * data ports ({@code taskmanager.bind-host}, {@code taskmanager.host}). Flink's defaults bind the
 * REST API and the BLOB server to every interface, which would put an unauthenticated API that
 * accepts jobs (arbitrary code) and the job's data in reach of the network.
 *
 * <p>A value the operator set for one of these keys (e.g. {@code --set rest.bind-address=0.0.0.0})
 * wins. Only these keys are taken from the job's configuration: the rest of it may hold secrets,
 * which must not reach Flink's configuration (the web UI shows it).
 */
public final class LocalCluster {
    /** Where a local run listens unless configured. */
    public static final String LOOPBACK = "127.0.0.1";

    static final List<ConfigOption<String>> ADDRESSES =
            List.of(
                    RestOptions.BIND_ADDRESS,
                    RestOptions.ADDRESS,
                    JobManagerOptions.BIND_HOST,
                    JobManagerOptions.ADDRESS,
                    TaskManagerOptions.BIND_HOST,
                    TaskManagerOptions.HOST);

    private LocalCluster() {}

    /**
     * {@code flink} with the listening addresses: the operator's from {@code configured} where set,
     * {@value #LOOPBACK} otherwise.
     */
    public static Configuration listenAddresses(Configuration flink, Configuration configured) {
        for (ConfigOption<String> key : ADDRESSES) {
            flink.set(key, configured.getOptional(key).orElse(LOOPBACK));
        }
        return flink;
    }

    /** A local environment on {@code flink} with {@link #listenAddresses} applied. */
    public static StreamExecutionEnvironment environment(
            Configuration flink, Configuration configured) {
        return StreamExecutionEnvironment.createLocalEnvironment(
                listenAddresses(flink, configured));
    }
}
