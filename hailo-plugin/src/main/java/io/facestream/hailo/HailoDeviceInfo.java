package io.facestream.hailo;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.flink.api.common.externalresource.ExternalResourceInfo;

/**
 * One Hailo device offered to the operators of a TaskManager.
 *
 * <p>Properties: {@value #PATH} (the device node, e.g. {@code /dev/hailo0}) and {@value #INDEX}
 * (its position, from 0, among the devices the driver found, in name order). The class lives in the
 * plugin's class loader, so user code cannot cast to it: it reads the properties through {@code
 * getRuntimeContext().getExternalResourceInfos("hailo")} and {@link #getProperty(String)}.
 */
public final class HailoDeviceInfo implements ExternalResourceInfo {

    /** Property key of the device node path. */
    public static final String PATH = "path";

    /** Property key of the device's position among the devices found, from 0. */
    public static final String INDEX = "index";

    private final String path;
    private final int index;

    public HailoDeviceInfo(String path, int index) {
        this.path = Objects.requireNonNull(path, "path");
        if (index < 0) {
            throw new IllegalArgumentException("A device index is >= 0, got " + index);
        }
        this.index = index;
    }

    public String path() {
        return path;
    }

    public int index() {
        return index;
    }

    @Override
    public Optional<String> getProperty(String key) {
        switch (key) {
            case PATH:
                return Optional.of(path);
            case INDEX:
                return Optional.of(Integer.toString(index));
            default:
                return Optional.empty();
        }
    }

    @Override
    public Collection<String> getKeys() {
        return List.of(PATH, INDEX);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HailoDeviceInfo
                && ((HailoDeviceInfo) o).path.equals(path)
                && ((HailoDeviceInfo) o).index == index;
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, index);
    }

    @Override
    public String toString() {
        return "HailoDeviceInfo{path=" + path + ", index=" + index + "}";
    }
}
