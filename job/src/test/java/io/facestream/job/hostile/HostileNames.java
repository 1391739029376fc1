package io.facestream.job.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.facestream.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The gallery the hostile tests identify against: obama and biden enrolled under identity names
 * built to break quoting, escaping and terminals, kit and rose under their own, and how {@code
 * gallery list} must show the hostile names.
 */
final class HostileNames {
    static final String GALLERY = "hostile";

    /** Quotes, an apostrophe, a newline, a snowman, Chinese and an emoji flag (surrogate pairs). */
    static final String OBAMA = "Barack \"Barry\" O'Bama\n44th ☃ 巴拉克·奥巴马 🇺🇸";

    /** A comma, a tab, CR LF, a backslash, markup, an ESC (terminal control) and a Spanish ñ. */
    static final String BIDEN = "Biden, Joe\t\"VP\"\r\n\\ ñandú <b>&amp; \u001b[31mred";

    /** How {@code gallery list} shows them: control characters and backslashes escaped. */
    static final String OBAMA_SHOWN = "Barack \"Barry\" O'Bama\\n44th ☃ 巴拉克·奥巴马 🇺🇸";

    static final String BIDEN_SHOWN = "Biden, Joe\\t\"VP\"\\r\\n\\\\ ñandú <b>&amp; \\u001b[31mred";

    private HostileNames() {}

    /**
     * Enrols the four people through the CLI into {@link #GALLERY}, from folders named after the
     * identities under {@code tmp}, and checks how {@code gallery list} shows them.
     */
    static void enrol(String redisUrl, Path tmp) throws Exception {
        Path root = tmp.resolve("gallery");
        Map<String, String> folders =
                Map.of(
                        "obama",
                        OBAMA,
                        "biden",
                        BIDEN,
                        "kit_harington",
                        "kit_harington",
                        "rose_leslie",
                        "rose_leslie");
        for (var e : folders.entrySet()) {
            Path to = Files.createDirectories(root.resolve(e.getValue()));
            try (var files =
                    Files.list(HostileCorpus.DATA.resolve("people/gallery/" + e.getKey()))) {
                for (Path f : files.toList()) {
                    Files.copy(f, to.resolve(f.getFileName()));
                }
            }
        }
        Cli enrol = Cli.run("enroll", "--redis", redisUrl, "-g", GALLERY, root.toString());
        assertThat(enrol.rc()).as(enrol.out() + enrol.err()).isZero();
        Cli list = Cli.run("gallery", "list", "--redis", redisUrl, "-g", GALLERY);
        // The table escapes control characters: a name must not break lines or drive the terminal.
        assertThat(list.out())
                .contains(OBAMA_SHOWN, BIDEN_SHOWN)
                .doesNotContain(OBAMA, "\u001b")
                .contains("4 identities, 11 entries");
    }
}
