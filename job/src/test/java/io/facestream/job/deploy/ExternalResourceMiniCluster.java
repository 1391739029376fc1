package io.facestream.job.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.core.plugin.DefaultPluginManager;
import org.apache.flink.core.plugin.DirectoryBasedPluginFinder;
import org.apache.flink.core.plugin.PluginManager;
import org.apache.flink.runtime.blob.BlobCacheService;
import org.apache.flink.runtime.blob.BlobUtils;
import org.apache.flink.runtime.clusterframework.types.ResourceID;
import org.apache.flink.runtime.entrypoint.WorkingDirectory;
import org.apache.flink.runtime.externalresource.ExternalResourceInfoProvider;
import org.apache.flink.runtime.externalresource.ExternalResourceUtils;
import org.apache.flink.runtime.heartbeat.HeartbeatServices;
import org.apache.flink.runtime.metrics.NoOpMetricRegistry;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.minicluster.RpcServiceSharing;
import org.apache.flink.runtime.rpc.RpcService;
import org.apache.flink.runtime.rpc.RpcSystem;
import org.apache.flink.runtime.security.token.DelegationTokenReceiverRepository;
import org.apache.flink.runtime.taskexecutor.TaskExecutor;
import org.apache.flink.runtime.taskexecutor.TaskManagerRunner;
import org.apache.flink.util.Reference;
import org.apache.flink.util.concurrent.FutureUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A MiniCluster to which TaskManagers offering external resources can be added, started the way a
 * standalone TaskManager starts.
 *
 * <p>Why it exists: {@link MiniCluster} starts its own TaskManagers with {@link
 * ExternalResourceInfoProvider#NO_EXTERNAL_RESOURCES}. They do declare the amounts named by {@code
 * external-resources} in the configuration, so the scheduler places a group asking for {@code
 * hailo: 1} on them, but they never load a driver (neither from a plugins folder nor from the
 * classpath), so {@code getRuntimeContext().getExternalResourceInfos("hailo")} is empty there. A
 * TaskManager added by {@link #startTaskManager} gets the provider {@code TaskManagerRunner} builds
 * ({@link ExternalResourceUtils#createStaticExternalResourceInfoProviderFromConfig}) from a plugin
 * manager over a plugins folder, as {@code FLINK_PLUGINS_DIR} gives a real TaskManager.
 *
 * <p>All RPC services are remote ({@link RpcServiceSharing#DEDICATED}), so an added TaskManager
 * reaches the cluster's ResourceManager and JobMasters, and data goes over the network shuffle.
 */
public final class ExternalResourceMiniCluster extends MiniCluster {
    private static final Logger LOG = LoggerFactory.getLogger(ExternalResourceMiniCluster.class);

    private final RpcSystem rpcSystem;
    private final List<TaskExecutor> taskExecutors = new ArrayList<>();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<Throwable> fatalErrors = new CopyOnWriteArrayList<>();

    private ExternalResourceMiniCluster(MiniClusterConfiguration config, RpcSystem rpcSystem) {
        super(config, () -> Reference.borrowed(rpcSystem));
        this.rpcSystem = rpcSystem;
    }

    /**
     * A cluster of {@code plainTaskManagers} MiniCluster TaskManagers (no external resources) with
     * {@code config}; add TaskManagers with resources through {@link #startTaskManager}.
     */
    public static ExternalResourceMiniCluster create(Configuration config, int plainTaskManagers) {
        MiniClusterConfiguration mc =
                new MiniClusterConfiguration.Builder()
                        .setConfiguration(config)
                        .setNumTaskManagers(plainTaskManagers)
                        .setNumSlotsPerTaskManager(8)
                        .setRpcServiceSharing(RpcServiceSharing.DEDICATED)
                        .withRandomPorts()
                        .build();
        return new ExternalResourceMiniCluster(mc, RpcSystem.load(config));
    }

    /**
     * Starts a TaskManager with the cluster's configuration plus {@code extra} (e.g. {@code
     * external-resources: hailo} and its driver keys), external-resource drivers loaded from the
     * plugins under {@code pluginsDir} ({@code pluginsDir/<name>/*.jar}), and its working files
     * under {@code workDir}. Call after {@link #start()}.
     */
    public ResourceID startTaskManager(
            String resourceId, Configuration extra, Path pluginsDir, Path workDir)
            throws Exception {
        Configuration conf = new Configuration(getConfiguration());
        conf.addAll(extra);
        PluginManager plugins =
                new DefaultPluginManager(
                        new DirectoryBasedPluginFinder(pluginsDir).findPlugins(),
                        CoreOptions.getPluginParentFirstLoaderPatterns(conf));
        RpcService rpc = createRemoteRpcService(conf, "localhost", "0", "localhost", rpcSystem);
        resources.add(() -> rpc.closeAsync().get());
        WorkingDirectory workingDir = WorkingDirectory.create(workDir.toFile());
        // No blob server address yet: the TaskExecutor learns it from the JobMaster it connects to.
        BlobCacheService blobs =
                BlobUtils.createBlobCacheService(
                        conf,
                        Reference.borrowed(workingDir.getBlobStorageDirectory()),
                        getHaServices().createBlobStore(),
                        null);
        resources.add(blobs);
        ResourceID id = new ResourceID(resourceId);
        TaskExecutor taskExecutor =
                TaskManagerRunner.startTaskManager(
                        conf,
                        id,
                        rpc,
                        getHaServices(),
                        HeartbeatServices.fromConfiguration(conf),
                        NoOpMetricRegistry.INSTANCE,
                        blobs,
                        false,
                        ExternalResourceUtils.createStaticExternalResourceInfoProviderFromConfig(
                                conf, plugins),
                        workingDir,
                        error -> {
                            LOG.error("TaskManager {} failed", resourceId, error);
                            fatalErrors.add(error);
                        },
                        new DelegationTokenReceiverRepository(conf, plugins));
        taskExecutor.start();
        taskExecutors.add(taskExecutor);
        return id;
    }

    /** Errors the added TaskManagers reported as fatal. */
    public List<Throwable> fatalErrors() {
        return fatalErrors;
    }

    /** Tasks of different TaskManagers exchange data over the network, never in-process. */
    @Override
    protected boolean useLocalCommunication() {
        return false;
    }

    @Override
    public CompletableFuture<Void> closeAsync() {
        Collection<CompletableFuture<Void>> stopped =
                taskExecutors.stream().map(TaskExecutor::closeAsync).toList();
        return FutureUtils.completeAll(stopped)
                .handle((ignored, error) -> error)
                .thenCompose(error -> super.closeAsync())
                .whenComplete((ignored, error) -> closeResources());
    }

    private void closeResources() {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("Could not close {}", resource, e);
            }
        }
        try {
            rpcSystem.close();
        } catch (Exception e) {
            LOG.warn("Could not close the RPC system", e);
        }
    }
}
