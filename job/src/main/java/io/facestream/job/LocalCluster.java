package io.facestream.job;

import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.client.deployment.executors.LocalExecutor;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.PipelineExecutor;
import org.apache.flink.core.execution.PipelineExecutorFactory;
import org.apache.flink.core.execution.PipelineExecutorServiceLoader;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.rpc.RpcSystem;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Reference;

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

    /**
     * As {@link #environment(Configuration, Configuration)}, but the MiniCluster it starts on
     * execution uses {@code rpc}, and leaves it open when it closes. For a process that runs many
     * short jobs one after another (the benchmarks): Flink loads its RPC system (Pekko, Scala) into
     * a new class loader for every MiniCluster, so without sharing it every job runs that code
     * interpreted at first and the JIT compiles it again while the job runs, a cost a long-lived
     * cluster pays once. Each job still gets its own MiniCluster, with its own configuration.
     */
    public static StreamExecutionEnvironment environment(
            Configuration flink, Configuration configured, RpcSystem rpc) {
        Configuration conf = new Configuration(listenAddresses(flink, configured));
        conf.set(DeploymentOptions.TARGET, LocalExecutor.NAME);
        conf.set(DeploymentOptions.ATTACHED, true);
        if (conf.getOptional(CoreOptions.DEFAULT_PARALLELISM).isEmpty()) {
            // as createLocalEnvironment does
            conf.set(CoreOptions.DEFAULT_PARALLELISM, Runtime.getRuntime().availableProcessors());
        }
        PipelineExecutorFactory local =
                new PipelineExecutorFactory() {
                    @Override
                    public String getName() {
                        return LocalExecutor.NAME;
                    }

                    @Override
                    public boolean isCompatibleWith(Configuration c) {
                        return LocalExecutor.NAME.equals(c.get(DeploymentOptions.TARGET));
                    }

                    @Override
                    public PipelineExecutor getExecutor(Configuration c) {
                        return LocalExecutor.createWithFactory(
                                c, mc -> new MiniCluster(mc, () -> Reference.borrowed(rpc)));
                    }
                };
        PipelineExecutorServiceLoader executors =
                new PipelineExecutorServiceLoader() {
                    @Override
                    public PipelineExecutorFactory getExecutorFactory(Configuration c) {
                        if (!local.isCompatibleWith(c)) {
                            throw new IllegalStateException(
                                    "only execution.target=local runs on a shared RPC system");
                        }
                        return local;
                    }

                    @Override
                    public Stream<String> getExecutorNames() {
                        return Stream.of(LocalExecutor.NAME);
                    }
                };
        return new StreamExecutionEnvironment(
                executors, conf, Thread.currentThread().getContextClassLoader());
    }
}
