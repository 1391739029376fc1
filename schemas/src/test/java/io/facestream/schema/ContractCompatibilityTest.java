package io.facestream.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.junit.jupiter.api.Test;

/**
 * Enforces the contracts' compatibility rules (README, "Contracts"): every topic value schema of
 * this build is fully compatible with its copy in every released version kept under {@code
 * src/test/resources/released/<version>/} (the release's {@code .avsc} files as shipped), every
 * field added since has a default, and the {@code .avsc} files the jar ships are the schemas of its
 * generated classes. The checker itself is shown to refuse the changes the rules forbid.
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

    /** Named types the contracts share, each in a file of its own. */
    static final java.util.Set<String> BUILDING_BLOCKS =
            java.util.Set.of("Box", "Point", "Candidate");

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
            Map<String, Schema> released = parseAll(release);
            assertThat(CONTRACTS.keySet())
                    .as("the contracts of release %s, still published", release.getFileName())
                    .containsAll(
                            released.keySet().stream()
                                    .filter(n -> !BUILDING_BLOCKS.contains(n))
                                    .toList());
            for (Map.Entry<String, Schema> r : released.entrySet()) {
                if (CONTRACTS.containsKey(r.getKey())) {
                    assertThat(ContractEvolution.problems(r.getValue(), CONTRACTS.get(r.getKey())))
                            .as("%s against release %s", r.getKey(), release.getFileName())
                            .isEmpty();
                }
            }
        }
    }

    @Test
    void theFirstReleaseHoldsEveryTopicContract() throws Exception {
        assertThat(parseAll(releases().get(0)).keySet()).containsAll(CONTRACTS.keySet());
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
    void theJarShipsTheAvscOfEveryContractAsItsClassesUseIt() throws Exception {
        Path shipped =
                Path.of(FaceIdentity.class.getResource("FaceIdentity.avsc").toURI()).getParent();
        Map<String, Schema> parsed = parseAll(shipped);
        assertThat(parsed.keySet()).containsAll(CONTRACTS.keySet()).containsAll(BUILDING_BLOCKS);
        for (Map.Entry<String, Schema> c : CONTRACTS.entrySet()) {
            assertThat(parsed.get(c.getKey()).toString()).isEqualTo(plain(c.getValue()));
        }
    }

    /**
     * Every {@code .avsc} of a folder (the shipped layout: one file per named type, referring to
     * the others by name), by file name: files are parsed once the types they use are.
     */
    static Map<String, Schema> parseAll(Path folder) throws IOException {
        Map<String, String> pending = new TreeMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".avsc")).toList()) {
                pending.put(f.getFileName().toString().replace(".avsc", ""), Files.readString(f));
            }
        }
        Map<String, Schema> parsed = new TreeMap<>();
        Map<String, Schema> types = new HashMap<>();
        while (!pending.isEmpty()) {
            int before = pending.size();
            for (Iterator<Map.Entry<String, String>> it = pending.entrySet().iterator();
                    it.hasNext(); ) {
                Map.Entry<String, String> e = it.next();
                Schema.Parser parser = new Schema.Parser();
                parser.addTypes(types);
                try {
                    Schema s = parser.parse(e.getValue());
                    parsed.put(e.getKey(), s);
                    types.putAll(parser.getTypes());
                    it.remove();
                } catch (SchemaParseException notYet) {
                    // refers to a type of a file not parsed yet
                }
            }
            assertThat(pending.size())
                    .as("unresolvable schemas in %s: %s", folder, pending.keySet())
                    .isLessThan(before);
        }
        return parsed;
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
