package io.facestream.cli;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * A one-line progress bar on stderr, redrawn in place on a terminal; without a terminal (CI logs)
 * it prints a line every 10 %, so logs stay short.
 */
final class ProgressBar {
    private final PrintStream out;
    private final String label;
    private final boolean tty = System.console() != null;
    private int lastDecile = -1;

    ProgressBar(PrintStream out, String label) {
        this.out = out;
        this.label = label;
    }

    void update(int done, int total, Path item) {
        int width = 30;
        int filled = total == 0 ? width : done * width / total;
        String line =
                String.format(
                        "%s [%s%s] %d/%d %s",
                        label,
                        "#".repeat(filled),
                        " ".repeat(width - filled),
                        done,
                        total,
                        item == null ? "" : item.getFileName());
        if (tty) {
            out.print("\r" + line + " ".repeat(10));
            if (done == total) {
                out.println();
            }
        } else {
            int decile = total == 0 ? 10 : done * 10 / total;
            if (decile != lastDecile) {
                lastDecile = decile;
                out.println(line);
            }
        }
        out.flush();
    }
}
