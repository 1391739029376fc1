package io.facestream.hailo;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Parameters of the {@code hailo} external-resource driver.
 *
 * <p>Flink hands a driver only the keys under {@code external-resource.<name>.param.}, with that
 * prefix removed; a TaskManager that declares the resource as {@code hailo} therefore sets {@link
 * #DEVICE_PATTERN} as {@code external-resource.hailo.param.device-pattern}.
 */
public final class HailoDriverOptions {

    /**
     * Default device nodes of the HailoRT PCIe driver: {@code /dev/hailo0}, {@code /dev/hailo1}…
     */
    public static final String DEFAULT_DEVICE_PATTERN = "/dev/hailo*";

    /**
     * Glob of the device nodes to list. Wildcards ({@code *}, {@code ?}, {@code [..]}, {@code
     * {a,b}}) are allowed in the last path segment only: the folder before it is listed, not
     * searched.
     */
    public static final ConfigOption<String> DEVICE_PATTERN =
            ConfigOptions.key("device-pattern")
                    .stringType()
                    .defaultValue(DEFAULT_DEVICE_PATTERN)
                    .withDescription(
                            "Glob of the Hailo device nodes this TaskManager offers, wildcards"
                                    + " in the file name only (e.g. /dev/hailo*). Set as"
                                    + " external-resource.hailo.param.device-pattern.");

    private HailoDriverOptions() {}
}
