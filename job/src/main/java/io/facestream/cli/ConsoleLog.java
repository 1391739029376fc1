package io.facestream.cli;

import java.nio.file.Path;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;

/**
 * Sends the log file of a command that runs Flink (demo, run, replay, bench) to {@code
 * <dir>/facestream.log} and says where on the console: the console keeps progress and results,
 * Flink's own lines (INFO, WARN and their stack traces) go to the file only (see {@code
 * log4j2.properties}). A {@code facestream.log.file} given on the command line wins.
 */
final class ConsoleLog {
    static final String PROPERTY = "facestream.log.file";
    private static final boolean GIVEN = System.getProperty(PROPERTY) != null;
    private static Path current;

    private ConsoleLog() {}

    /** Logs to {@code dir/facestream.log} from now on and prints the path once. */
    static synchronized void toFileIn(Path dir) {
        Path file =
                GIVEN
                        ? Path.of(System.getProperty(PROPERTY))
                        : dir.resolve("facestream.log").toAbsolutePath().normalize();
        if (file.equals(current)) {
            return;
        }
        current = file;
        if (!GIVEN) {
            System.setProperty(PROPERTY, file.toString());
            // The file appender's name is resolved when the configuration is read. Only the
            // CLI's configuration (appender "file") is re-read: another one (a test's, with
            // appenders added at run time) is left alone.
            if (LogManager.getContext(false) instanceof LoggerContext ctx
                    && ctx.getConfiguration().getAppenders().containsKey("file")) {
                ctx.reconfigure();
            }
        }
        System.err.println("log (Flink's messages): " + file);
    }
}
