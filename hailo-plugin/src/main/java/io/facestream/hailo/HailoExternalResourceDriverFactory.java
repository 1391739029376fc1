package io.facestream.hailo;

import org.apache.flink.api.common.externalresource.ExternalResourceDriver;
import org.apache.flink.api.common.externalresource.ExternalResourceDriverFactory;
import org.apache.flink.configuration.Configuration;

/**
 * Creates the driver of the {@code hailo} external resource on a TaskManager.
 *
 * <p>Flink discovers this factory through {@code META-INF/services} in a plugin jar (the
 * TaskManager's {@code plugins/hailo/} folder, never the job jar) and calls it once per TaskManager
 * whose configuration has {@code external-resources: hailo} and {@code
 * external-resource.hailo.driver-factory.class:
 * io.facestream.hailo.HailoExternalResourceDriverFactory}. The configuration it receives holds only
 * the {@code external-resource.hailo.param.*} keys, prefix removed (see {@link
 * HailoDriverOptions}).
 */
public final class HailoExternalResourceDriverFactory implements ExternalResourceDriverFactory {

    @Override
    public ExternalResourceDriver createExternalResourceDriver(Configuration config) {
        String pattern = config.get(HailoDriverOptions.DEVICE_PATTERN);
        if (pattern == null || pattern.isBlank()) {
            throw new IllegalArgumentException(
                    "The hailo driver needs a device glob: set"
                            + " external-resource.hailo.param."
                            + HailoDriverOptions.DEVICE_PATTERN.key()
                            + " (default "
                            + HailoDriverOptions.DEFAULT_DEVICE_PATTERN
                            + ") to a non-empty pattern.");
        }
        return new HailoExternalResourceDriver(pattern);
    }
}
