package io.facestream.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both pairs-file forms, and lines that are not pairs. */
class PairsFileTest {
    @Test
    void readsLabelledPathsAndLfwLines(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("pairs.txt");
        Files.writeString(
                file,
                String.join(
                        "\n",
                        "10\t300",
                        "# a comment",
                        "a.jpg b.jpg same",
                        "with space/a.jpg\tc.jpg\tdifferent",
                        "Abel_Pacheco\t1\t4",
                        "Abdel_Madi_Shabneh\t1\tDean_Barker\t1",
                        "",
                        "a.jpg b.jpg maybe"));
        List<String> notes = new ArrayList<>();
        List<PairsFile.Pair> pairs = PairsFile.read(file, Path.of("/img"), notes);
        assertThat(pairs)
                .containsExactly(
                        new PairsFile.Pair(3, Path.of("/img/a.jpg"), Path.of("/img/b.jpg"), true),
                        new PairsFile.Pair(
                                4, Path.of("/img/with space/a.jpg"), Path.of("/img/c.jpg"), false),
                        new PairsFile.Pair(
                                5,
                                Path.of("/img/Abel_Pacheco/Abel_Pacheco_0001.jpg"),
                                Path.of("/img/Abel_Pacheco/Abel_Pacheco_0004.jpg"),
                                true),
                        new PairsFile.Pair(
                                6,
                                Path.of("/img/Abdel_Madi_Shabneh/Abdel_Madi_Shabneh_0001.jpg"),
                                Path.of("/img/Dean_Barker/Dean_Barker_0001.jpg"),
                                false));
        assertThat(notes).containsExactly("pairs.txt line 8: not a pair, skipped");
    }
}
