package io.facestream.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code facestream} command line. Each pipeline capability is a subcommand; {@code
 * bin/facestream} builds the jar when needed and runs this class.
 */
@Command(
        name = "facestream",
        mixinStandardHelpOptions = true,
        version = "facestream 0.1.0",
        description = "Face recognition on images and video streams.",
        subcommands = {
            DetectCommand.class,
            ModelsCommand.class,
            EnrollCommand.class,
            IdentifyCommand.class,
            EvalCommand.class,
            GalleryCommand.class,
            DemoCommand.class,
            RunCommand.class,
            ReplayCommand.class,
            BenchCommand.class,
            CommandLine.HelpCommand.class
        })
public final class FacestreamCli implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        // First, before anything asks the JDK for a temporary file: see PrivateTempDir.
        PrivateTempDir.install();
        System.exit(execute(args));
    }

    /** Runs the CLI and returns its exit code (tests call this instead of {@link #main}). */
    public static int execute(String... args) {
        return new CommandLine(new FacestreamCli())
                // @LIST is read by Inputs (one path a line, relative to the list), not split on
                // whitespace relative to the working directory as picocli's argument files are
                .setExpandAtFiles(false)
                .setExecutionExceptionHandler(
                        (ex, cmd, parsed) -> {
                            cmd.getErr().println("error: " + ex.getMessage());
                            return 1;
                        })
                .execute(args);
    }
}
