package io.facestream.job.security;

import io.facestream.cli.FacestreamCli;

/**
 * What {@link NoOutputITCase} runs in a JVM of its own, in an empty working directory with its own
 * {@code java.io.tmpdir}: {@code identify}, {@code detect} and the streaming job ({@code run}),
 * none with an output configured. Exits with the first non-zero exit code.
 *
 * <p>Arguments: Redis URL, a photo, a video.
 */
public final class NoOutputMain {
    private NoOutputMain() {}

    public static void main(String[] args) {
        String redis = args[0];
        String photo = args[1];
        String video = args[2];
        int rc = FacestreamCli.execute("identify", "--redis", redis, "-g", "people", photo);
        System.out.println("identify exit code " + rc);
        int detect = FacestreamCli.execute("detect", photo);
        System.out.println("detect exit code " + detect);
        int run =
                FacestreamCli.execute(
                        "run",
                        "--set",
                        "source.uris=clip=" + video,
                        "--set",
                        "redis.url=" + redis,
                        "--set",
                        "gallery.name=people",
                        "--set",
                        "parallelism=1");
        System.out.println("run exit code " + run);
        System.exit(rc != 0 ? rc : detect != 0 ? detect : run);
    }
}
