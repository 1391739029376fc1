package io.facestream.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A one-line description of the machine, for benchmark reports. */
final class Machine {
    private Machine() {}

    static String describe() {
        String cpu = "unknown CPU";
        try {
            cpu =
                    Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                            .filter(l -> l.startsWith("model name"))
                            .findFirst()
                            .map(l -> l.substring(l.indexOf(':') + 1).trim())
                            .orElse(cpu);
        } catch (IOException e) {
            // not Linux: keep the generic name
        }
        return String.format(
                "%d cores (%s), %d MB heap max, Java %s, %s",
                Runtime.getRuntime().availableProcessors(),
                cpu,
                Runtime.getRuntime().maxMemory() >> 20,
                System.getProperty("java.version"),
                System.getProperty("os.name"));
    }
}
