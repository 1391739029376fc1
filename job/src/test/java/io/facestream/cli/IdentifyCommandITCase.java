package io.facestream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.facestream.testing.Cli;
import io.facestream.testing.LocalRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** enroll → gallery list → identify --json → gallery delete, through the CLI, on a real Redis 8. */
class IdentifyCommandITCase {
    static final Path DATA = DetectCommandITCase.DATA;

    @Test
    void enrolsIdentifiesAndDeletesThroughTheCli(@TempDir Path tmp) throws Exception {
        try (LocalRedis redis = LocalRedis.start()) {
            String url = redis.url();
            Cli enrol =
                    Cli.run(
                            "enroll",
                            "--redis",
                            url,
                            "-g",
                            "people",
                            DATA.resolve("people/gallery").toString());
            System.out.println(enrol.out());
            assertThat(enrol.rc()).isZero();
            assertThat(enrol.out())
                    .containsPattern("15 file\\(s\\) in .* 15 new entries")
                    .contains("gallery 'people' now has 15 entries");

            Cli list = Cli.run("gallery", "list", "--redis", url, "-g", "people");
            assertThat(list.out())
                    .containsPattern("obama\\s+4")
                    .containsPattern("biden\\s+2")
                    .contains("6 identities, 15 entries");

            Path json = tmp.resolve("ids.json");
            Cli id =
                    Cli.run(
                            "identify",
                            "--redis",
                            url,
                            "-g",
                            "people",
                            "--out",
                            tmp.resolve("ann").toString(),
                            "--json",
                            json.toString(),
                            DATA.resolve("people/scenes/obama_and_biden.jpg").toString());
            System.out.println(id.out());
            assertThat(id.rc()).isZero();
            JsonNode images = new ObjectMapper().readTree(json.toFile());
            assertThat(images).hasSize(1);
            JsonNode faces = images.get(0).get("faces");
            assertThat(faces).hasSize(3);
            JsonNode first = faces.get(0);
            for (String field :
                    new String[] {
                        "cameraId",
                        "faceIndex",
                        "facesInFrame",
                        "box",
                        "landmarks",
                        "detectionScore",
                        "status",
                        "identity",
                        "similarity",
                        "candidates",
                        "gallery",
                        "detectorModel",
                        "embedderModel"
                    }) {
                assertThat(first.has(field)).as(field).isTrue();
            }
            assertThat(faces.findValuesAsText("identity")).contains("obama", "biden");
            assertThat(faces.findValuesAsText("status"))
                    .containsExactlyInAnyOrder("MATCHED", "MATCHED", "UNKNOWN");
            assertThat(tmp.resolve("ann/obama_and_biden.jpg")).isNotEmptyFile();

            Cli del = Cli.run("gallery", "delete", "--redis", url, "-g", "people", "obama");
            assertThat(del.out()).contains("obama: 4 entries deleted");
            Cli again = Cli.run("gallery", "list", "--redis", url, "-g", "people");
            assertThat(again.out()).doesNotContain("obama").contains("5 identities, 11 entries");
        }
    }

    @Test
    void identifiesHundredsOfPhotosGivenAsAListFile(@TempDir Path tmp) throws Exception {
        Path friends = DATA.resolve("friends/gallery").toAbsolutePath().normalize();
        List<Path> photos;
        try (var s = Files.list(friends)) {
            photos = s.sorted().toList();
        }
        // 6 rounds of the 20 photos, relative to the list's folder and absolute in turn (120 paths:
        // InputsTest expands a list of every shared photo three times over without the models)
        Path lists = Files.createDirectories(tmp.resolve("lists"));
        List<String> lines = new ArrayList<>(List.of("# friends, six times over", ""));
        for (int round = 0; round < 6; round++) {
            for (Path p : photos) {
                lines.add(round % 2 == 0 ? lists.relativize(p).toString() : p.toString());
            }
        }
        Path list = Files.write(lists.resolve("photos.txt"), lines);
        try (LocalRedis redis = LocalRedis.start()) {
            assertThat(
                            Cli.run("enroll", "--redis", redis.url(), "-g", "f", friends.toString())
                                    .rc())
                    .isZero();
            Path json = tmp.resolve("ids.json");
            Cli id =
                    Cli.run(
                            "identify",
                            "--redis",
                            redis.url(),
                            "-g",
                            "f",
                            "--json",
                            json.toString(),
                            "@" + list);
            assertThat(id.rc()).as(id.err()).isZero();
            JsonNode images = new ObjectMapper().readTree(json.toFile());
            assertThat(images).hasSize(120);
            for (JsonNode image : images) {
                // every photo is an enrolled one: its single face is its own name
                String name = Path.of(image.get("source").asText()).getFileName().toString();
                JsonNode faces = image.get("faces");
                assertThat(faces).as(name).hasSize(1);
                assertThat(faces.get(0).get("identity").asText())
                        .as(name)
                        .isEqualTo(name.substring(0, name.indexOf('_')));
            }
        }
    }

    @Test
    void saysClearlyWhenRedisIsNotRunning() {
        Cli r = Cli.run("gallery", "list", "--redis", "redis://127.0.0.1:1", "-g", "x");
        assertThat(r.rc()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: ").contains("127.0.0.1:1");
        System.out.println(r.err());
    }
}
