package io.facestream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code facestream detect} end to end on real photos, with one bad input among them. */
class DetectCommandITCase {
    static final Path DATA =
            Path.of(System.getProperty("facestream.project.root", "..")).resolve("../shared/data");

    @Test
    void printsFacesWritesAnnotatedCopiesAndReportsBadInput(@TempDir Path tmp) throws Exception {
        Path notAnImage = tmp.resolve("notes.jpg");
        Files.writeString(notAnImage, "not a picture");
        Path out = tmp.resolve("out");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        int rc;
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
            rc =
                    FacestreamCli.execute(
                            "detect",
                            "--out",
                            out.toString(),
                            DATA.resolve("friends/scenes/Friends1.jpg").toString(),
                            notAnImage.toString(),
                            DATA.resolve("edge/no_face_white.png").toString());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        String printed = stdout.toString(StandardCharsets.UTF_8);
        System.out.println(printed);
        assertThat(rc).isEqualTo(2);
        assertThat(printed)
                .contains("Friends1.jpg: 3 face(s)")
                .contains("no_face_white.png: 0 face(s)");
        assertThat(stderr.toString(StandardCharsets.UTF_8))
                .contains("notes.jpg: skipped")
                .contains("not a decodable image");
        assertThat(out.resolve("Friends1.jpg")).isNotEmptyFile();
        assertThat(out.resolve("no_face_white.jpg")).isNotEmptyFile();
    }
}
