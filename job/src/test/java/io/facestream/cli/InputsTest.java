package io.facestream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code @LIST} files and folders as command-line inputs, on the shared photos. */
class InputsTest {
    static final Path DATA = DetectCommandITCase.DATA.toAbsolutePath().normalize();

    static List<Path> sharedPhotos() throws Exception {
        try (Stream<Path> s = Files.walk(DATA)) {
            return s.filter(p -> p.toString().matches(".*\\.(jpg|png)$")).sorted().toList();
        }
    }

    @Test
    void expandsAListOfHundredsOfPhotosRelativeToTheListFile(@TempDir Path tmp) throws Exception {
        List<Path> photos = sharedPhotos();
        assertThat(photos).hasSizeGreaterThan(80);
        Path lists = Files.createDirectories(tmp.resolve("lists"));
        List<String> lines = new ArrayList<>(List.of("# every shared photo, three ways", ""));
        List<Path> expected = new ArrayList<>();
        for (Path p : photos) {
            lines.add(lists.relativize(p).toString()); // relative to the list's folder
            lines.add("  " + p + "  "); // absolute, padded
            lines.add("./" + lists.relativize(p) + "\r"); // written on Windows
            expected.addAll(List.of(p, p, p));
        }
        lines.add("   # an indented comment");
        Path list = Files.write(lists.resolve("photos.txt"), lines);

        // from another working directory the relative lines still resolve against the list
        List<Path> out = Inputs.expand(List.of(Path.of("@" + list)));

        assertThat(out).hasSize(3 * photos.size()).hasSizeGreaterThan(250);
        assertThat(out).containsExactlyElementsOf(expected);
        assertThat(out).allMatch(Files::isRegularFile);
    }

    @Test
    void aListedFolderIsWalkedAndListsMixWithPlainArguments(@TempDir Path tmp) throws Exception {
        Path list =
                Files.write(
                        tmp.resolve("l.txt"), List.of(DATA.resolve("friends/gallery").toString()));
        Path single = DATA.resolve("people/scenes/two_people.jpg");

        List<Path> out = Inputs.expand(List.of(single, Path.of("@" + list)));

        assertThat(out).hasSize(21).startsWith(single);
        // eval keeps folders whole (it labels their photos by folder)
        assertThat(Inputs.expandLists(List.of(Path.of("@" + list))))
                .containsExactly(DATA.resolve("friends/gallery"));
    }

    @Test
    void aMissingListIsAnErrorNamingIt(@TempDir Path tmp) {
        assertThatThrownBy(() -> Inputs.expand(List.of(Path.of("@" + tmp.resolve("nope.txt")))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot read the list file")
                .hasMessageContaining("nope.txt");
        // a lone "@" is a file name, not a list
        assertThat(Inputs.expandLists(List.of(Path.of("@")))).containsExactly(Path.of("@"));
    }
}
