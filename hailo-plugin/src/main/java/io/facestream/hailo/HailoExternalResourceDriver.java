package io.facestream.hailo;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.externalresource.ExternalResourceDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists the Hailo devices of a TaskManager: the entries matching a glob such as {@code
 * /dev/hailo*}.
 *
 * <p>{@link #retrieveResourceInfo(long)} returns the first {@code amount} matches in name order
 * (shorter names first, so {@code hailo2} comes before {@code hailo10}) as {@link HailoDeviceInfo}s
 * and fails, naming the pattern, when fewer devices exist than the TaskManager declares. Only the
 * last path segment of the pattern may hold wildcards. The driver only lists device nodes; it does
 * not open them, so it needs neither HailoRT nor access rights to the devices.
 */
public final class HailoExternalResourceDriver implements ExternalResourceDriver {

    private static final Logger LOG = LoggerFactory.getLogger(HailoExternalResourceDriver.class);

    private static final Comparator<Path> NAME_ORDER =
            Comparator.comparingInt((Path p) -> p.getFileName().toString().length())
                    .thenComparing(p -> p.getFileName().toString());

    private final String pattern;
    private final Path folder;
    private final String fileGlob;

    public HailoExternalResourceDriver(String pattern) {
        Path path = Path.of(pattern);
        Path parent = path.getParent();
        if (path.getFileName() == null) {
            throw new IllegalArgumentException(
                    "Hailo device pattern '" + pattern + "' names no file, e.g. /dev/hailo*");
        }
        if (parent != null && hasWildcard(parent.toString())) {
            throw new IllegalArgumentException(
                    "Hailo device pattern '"
                            + pattern
                            + "' has wildcards in its folder; only the file name may have them");
        }
        this.pattern = pattern;
        this.folder = parent == null ? Path.of("") : parent;
        this.fileGlob = path.getFileName().toString();
    }

    /** The glob this driver lists. */
    public String pattern() {
        return pattern;
    }

    @Override
    public Set<HailoDeviceInfo> retrieveResourceInfo(long amount) throws IOException {
        if (amount <= 0) {
            throw new IllegalArgumentException(
                    "The amount of hailo devices asked for must be positive, got " + amount);
        }
        List<Path> devices = listDevices();
        if (devices.size() < amount) {
            throw new IllegalStateException(
                    "The TaskManager declares "
                            + amount
                            + " hailo device(s) but only "
                            + devices.size()
                            + " match '"
                            + pattern
                            + "' "
                            + devices
                            + "; fix external-resource.hailo.amount or"
                            + " external-resource.hailo.param.device-pattern");
        }
        Set<HailoDeviceInfo> infos = new LinkedHashSet<>();
        for (int i = 0; i < amount; i++) {
            infos.add(new HailoDeviceInfo(devices.get(i).toString(), i));
        }
        LOG.info("Hailo devices matching '{}': {}; offering {}", pattern, devices, infos);
        return infos;
    }

    private List<Path> listDevices() throws IOException {
        List<Path> devices = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return devices;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder, fileGlob)) {
            for (Path entry : entries) {
                if (!Files.isDirectory(entry)) {
                    devices.add(entry);
                }
            }
        } catch (IOException e) {
            throw new IOException("Cannot list Hailo devices matching '" + pattern + "'", e);
        }
        devices.sort(NAME_ORDER);
        return devices;
    }

    private static boolean hasWildcard(String s) {
        return s.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
    }
}
