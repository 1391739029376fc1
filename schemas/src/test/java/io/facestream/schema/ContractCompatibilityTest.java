package io.facestream.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * Enforces the contracts' compatibility rules (README, "Contracts"): every topic value schema of
 * this build is fully compatible with its copy in every released version kept under {@code
 * src/test/resources/released/<version>/}, every field added since has a default, and the {@code
 * .avsc} files the jar ships are the schemas of its generated classes. The checker itself is shown
 * to refuse the changes the rules forbid.
 */
class ContractCompatibilityTest {
    /** The topic values a consumer depends on (keys are plain UTF-8 camera ids). */
    static final Map<String, Schema> CONTRACTS =
            Map.of(
                    "Frame", Frame.getClassSchema(),
                    "FaceIdentity", FaceIdentity.getClassSchema(),
                    "AnnotatedFrame", AnnotatedFrame.getClassSchema(),
                    "FaceAppearance", FaceAppearance.getClassSchema(),
                    "DeadLetter", DeadLetter.getClassSchema());

    static Path releasedRoot() throws URISyntaxException {
        return Path.of(ContractCompatibilityTest.class.getResource("/released").toURI());
    }

    static List<Path> releases() throws Exception {
        try (Stream<Path> s = Files.list(releasedRoot())) {
            return s.filter(Files::isDirectory).sorted().toList();
        }
    }

    @Test
    void everyContractIsFullyCompatibleWithEveryReleasedCopy() throws Exception {
        List<Path> releases = releases();
        assertThat(releases).as("released versions under src/test/resources/released").isNotEmpty();
        for (Path release : releases) {
            try (Stream<Path> files = Files.list(release)) {
                for (Path file : files.sorted().toList()) {
                    String name = file.getFileName().toString().replace(".avsc", "");
                    assertThat(CONTRACTS)
                            .as("%s is a released contract, still published", file)
                            .containsKey(name);
                    Schema released = new Schema.Parser().parse(file.toFile());
                    assertThat(ContractEvolution.problems(released, CONTRACTS.get(name)))
                            .as("%s against release %s", name, release.getFileName())
                            .isEmpty();
                }
            }
        }
    }

    @Test
    void theFirstReleaseHoldsEveryTopicContract() throws Exception {
        try (Stream<Path> files = Files.list(releases().get(0))) {
            assertThat(files.map(f -> f.getFileName().toString().replace(".avsc", "")))
                    .containsExactlyInAnyOrderElementsOf(CONTRACTS.keySet());
        }
    }

    @Test
    void refusesAFieldAddedWithoutADefault() {
        Schema current = FaceIdentity.getClassSchema();
        Schema noDefault = withField(current, "{\"name\":\"zone\",\"type\":\"string\"}");
        Schema withDefault =
                withField(
                        current,
                        "{\"name\":\"zone\",\"type\":[\"null\",\"string\"],\"default\":null}");

        assertThat(ContractEvolution.problems(current, noDefault))
                .contains(
                        "field io.facestream.schema.FaceIdentity.zone was added without a default")
                .anyMatch(
                        p -> p.startsWith("a reader of this version cannot read records written"));
        assertThat(ContractEvolution.problems(current, withDefault)).isEmpty();
    }

    @Test
    void refusesARemovedFieldTheReleasedReadersNeed() {
        Schema current = FaceIdentity.getClassSchema();
        Schema removed =
                new Schema.Parser()
                        .parse(
                                plain(current)
                                        .replace(
                                                "{\"name\":\"cameraId\",\"type\":\"string\"},",
                                                ""));
        assertThat(removed.getField("cameraId")).isNull();

        assertThat(ContractEvolution.problems(current, removed))
                .singleElement()
                .asString()
                .startsWith("a reader of the released version cannot read records written")
                .contains("READER_FIELD_MISSING_DEFAULT");
    }

    @Test
    void allowsNewSymbolsOnlyInEnumsWithADefault() {
        Schema appearance = FaceAppearance.getClassSchema();
        Schema newEvent =
                new Schema.Parser()
                        .parse(
                                appearance
                                        .toString()
                                        .replace("\"ENDED\"]", "\"ENDED\",\"MERGED\"]"));
        Schema newStatus =
                new Schema.Parser()
                        .parse(
                                appearance
                                        .toString()
                                        .replace(
                                                "\"NOT_RECOGNISABLE\"]",
                                                "\"NOT_RECOGNISABLE\",\"SPOOF\"]"));

        // AppearanceEvent has no default symbol: an old reader could not map MERGED.
        assertThat(ContractEvolution.problems(appearance, newEvent))
                .singleElement()
                .asString()
                .contains("MISSING_ENUM_SYMBOLS");
        // MatchStatus falls back to UNKNOWN for symbols a reader does not know.
        assertThat(ContractEvolution.problems(appearance, newStatus)).isEmpty();
    }

    @Test
    void theJarShipsTheAvscOfEveryContractAsItsClassesUseIt() throws IOException {
        Schema.Parser parser = new Schema.Parser();
        // Building blocks first: the contracts refer to them by name.
        for (String name :
                List.of(
                        "Box",
                        "Point",
                        "Candidate",
                        "FaceIdentity",
                        "Frame",
                        "AnnotatedFrame",
                        "FaceAppearance",
                        "DeadLetter")) {
            try (InputStream in = FaceIdentity.class.getResourceAsStream(name + ".avsc")) {
                assertThat(in).as("io/facestream/schema/%s.avsc in the jar", name).isNotNull();
                Schema parsed = parser.parse(in);
                if (CONTRACTS.containsKey(name)) {
                    assertThat(parsed.toString()).isEqualTo(plain(CONTRACTS.get(name)));
                }
            }
        }
    }

    /**
     * The schema's JSON without the generated classes' {@code avro.java.string} hints: the same
     * schema for every reader, as written in the {@code .avsc} files.
     */
    static String plain(Schema schema) {
        return schema.toString()
                .replace("{\"type\":\"string\",\"avro.java.string\":\"String\"}", "\"string\"");
    }

    private static Schema withField(Schema record, String fieldJson) {
        String json = plain(record);
        int end = json.lastIndexOf("]}");
        return new Schema.Parser()
                .parse(json.substring(0, end) + "," + fieldJson + json.substring(end));
    }
}
