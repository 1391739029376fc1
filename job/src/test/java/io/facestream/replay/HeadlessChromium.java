package io.facestream.replay;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code chromium} in headless mode (installed by {@code scripts/test.sh}): screenshots
 * and DOM dumps of a local HTML file, with networking and the GPU off.
 */
public final class HeadlessChromium {
    private HeadlessChromium() {}

    public static boolean available() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "chromium"))) {
                return true;
            }
        }
        return false;
    }

    public static void screenshot(Path html, Path png) throws IOException, InterruptedException {
        run(List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=1200,900"), html);
        if (!Files.isRegularFile(png) || Files.size(png) == 0) {
            throw new IOException("chromium wrote no screenshot to " + png);
        }
    }

    public static String dumpDom(Path html) throws IOException, InterruptedException {
        return run(List.of("--dump-dom"), html);
    }

    private static String run(List<String> args, Path html)
            throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("chromium");
        Path log = Files.createTempFile("chromium", ".log");
        try {
            return run(args, html, profile, log);
        } finally {
            // a profile and a log per run would otherwise pile up in the temp folder
            org.apache.flink.util.FileUtils.deleteDirectoryQuietly(profile.toFile());
            Files.deleteIfExists(log);
        }
    }

    private static String run(List<String> args, Path html, Path profile, Path log)
            throws IOException, InterruptedException {
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                "chromium",
                                "--headless",
                                "--no-sandbox",
                                "--disable-gpu",
                                "--disable-background-networking",
                                "--user-data-dir=" + profile));
        cmd.addAll(args);
        cmd.add(html.toAbsolutePath().toUri().toString());
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("chromium did not finish in 60 s");
        }
        if (p.exitValue() != 0) {
            throw new IOException(
                    "chromium exited with " + p.exitValue() + ": " + Files.readString(log));
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
