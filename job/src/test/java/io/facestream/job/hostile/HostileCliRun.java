package io.facestream.job.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.facestream.job.hostile.HostileCorpus.Case;
import io.facestream.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code facestream identify --json} run over every CLI case of the {@link HostileCorpus} as a
 * file, plus a good photo (case name {@code good}), against the {@link HostileNames} gallery. Keeps
 * the run's exit code and output, and its JSON result per case name.
 */
final class HostileCliRun {
    final Cli identify;
    final Map<String, JsonNode> cliByCase = new LinkedHashMap<>();

    private HostileCliRun(Cli identify) {
        this.identify = identify;
    }

    static HostileCliRun run(List<Case> corpus, String redisUrl, Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("cli-inputs"));
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "identify",
                                "--redis",
                                redisUrl,
                                "-g",
                                HostileNames.GALLERY,
                                "--json",
                                tmp.resolve("cli.json").toString()));
        Map<String, String> caseByFile = new LinkedHashMap<>();
        for (int i = 0; i < corpus.size(); i++) {
            Case c = corpus.get(i);
            if (!c.cli()) {
                continue;
            }
            Path f = dir.resolve("case-" + i + ".jpg");
            Files.write(f, c.bytes());
            args.add(f.toString());
            caseByFile.put(f.toString(), c.name());
        }
        Path good = HostileCorpus.DATA.resolve("people/scenes/obama_and_biden.jpg");
        args.add(good.toString());
        caseByFile.put(good.toString(), "good");
        HostileCliRun run = new HostileCliRun(Cli.run(args.toArray(String[]::new)));
        System.out.println(run.identify.out());
        System.out.println(run.identify.err());
        for (JsonNode image : new ObjectMapper().readTree(tmp.resolve("cli.json").toFile())) {
            run.cliByCase.put(caseByFile.get(image.get("source").asText()), image);
        }
        return run;
    }
}
