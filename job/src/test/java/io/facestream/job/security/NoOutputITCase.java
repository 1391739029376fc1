package io.facestream.job.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.facestream.job.JobTestSupportAccess;
import io.facestream.testing.ForkedJvm;
import io.facestream.testing.LocalRedis;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing writes faces or frames anywhere unless an output was configured: {@code identify}, {@code
 * detect} and the streaming job run without outputs in a JVM of their own, whose working directory
 * and {@code java.io.tmpdir} are empty temporary folders; afterwards neither holds a file whose
 * bytes are an image or a video (JPEG, PNG, BMP, WebP, Netpbm, MP4/MOV, AVI, Matroska), whatever
 * its name.
 */
class NoOutputITCase {
    static final Path DATA =
            Path.of(System.getProperty("facestream.project.root", ".."))
                    .resolve("../shared/data")
                    .toAbsolutePath()
                    .normalize();

    @TempDir Path tmp;

    @Test
    void writesNoImageOrVideoWithoutAConfiguredOutput() throws Exception {
        ForkedJvm fork;
        try (LocalRedis redis = LocalRedis.start()) {
            JobTestSupportAccess.enrolPeople(redis.url(), "people");
            fork =
                    ForkedJvm.start(
                            tmp,
                            List.of(),
                            NoOutputMain.class,
                            redis.url(),
                            DATA.resolve("people/scenes/obama_and_biden.jpg").toString(),
                            DATA.resolve("video/faceapi_5frames.mp4").toString());
            Process p = fork.process();
            boolean done = p.waitFor(240, TimeUnit.SECONDS);
            if (!done) {
                p.destroyForcibly();
            }
            String out = fork.output();
            System.out.println(out);
            assertThat(done).as("the forked CLI finished").isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            // It did the work: named the faces, found them, and ran the job.
            assertThat(out).contains("obama", "identify exit code 0", "detect exit code 0");
            assertThat(out).contains("job finished", "run exit code 0");
        }
        assertThat(mediaFiles(fork.workDir())).isEmpty();
        assertThat(mediaFiles(fork.tmpdir())).isEmpty();
    }

    /** Files under {@code dir} whose first bytes are an image or video signature. */
    static List<Path> mediaFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(NoOutputITCase::isMedia).toList();
        }
    }

    static boolean isMedia(Path file) {
        byte[] b = new byte[12];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(b, 0, b.length);
        } catch (IOException e) {
            return false;
        }
        String ascii = new String(b, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1);
        return (n >= 2 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8) // JPEG
                || ascii.startsWith("\u0089PNG")
                || ascii.startsWith("BM")
                || (ascii.startsWith("RIFF") && n >= 12) // WebP, AVI
                || (n >= 3 && b[0] == 'P' && b[1] >= '1' && b[1] <= '7' && b[2] <= ' ') // Netpbm
                || (n >= 8 && ascii.substring(4, 8).equals("ftyp")) // MP4, MOV
                || (n >= 4 && (b[0] & 0xff) == 0x1A && (b[1] & 0xff) == 0x45); // Matroska
    }
}
