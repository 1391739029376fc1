package io.facestream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.facestream.cli.FacestreamCli;
import io.facestream.job.JobConfig;
import io.facestream.job.kafka.KafkaOptions;
import io.facestream.testing.ForkedJvm;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

/**
 * {@code docker-compose.yml} checked against the code, since {@code docker compose config} is not
 * available here: images pinned, published ports matching what the services listen on, mounted
 * paths present in the checkout, and the job configurations the services submit made of keys the
 * job knows, valid, and naming paths and hosts that exist in the compose setup.
 */
class ComposeFileTest {
    static final Path ROOT = ForkedJvm.projectRoot();
    static final Pattern VAR = Pattern.compile("\\$\\{(\\w+):-([^}]*)}");

    static Map<String, Map<String, Object>> services;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void parse() throws Exception {
        try (Reader r = Files.newBufferedReader(ROOT.resolve("docker-compose.yml"))) {
            Map<String, Object> doc = new Yaml().load(r);
            services = (Map<String, Map<String, Object>>) doc.get("services");
        }
    }

    @Test
    void pinsEveryImageToAVersion() {
        String flink = EnvironmentInformation.getVersion();
        services.forEach(
                (name, svc) -> {
                    String image = (String) svc.get("image");
                    assertThat(image).as(name).isNotNull().matches("[\\w./-]+:[\\w.-]*\\d[\\w.-]*");
                    assertThat(image).as(name).doesNotEndWith(":latest");
                    if (image.startsWith("flink:")) {
                        assertThat(image).as(name).isEqualTo("flink:" + flink + "-java17");
                    }
                });
        assertThat(services.get("redis").get("image")).asString().startsWith("redis:8.");
    }

    @Test
    void publishesEachServiceOnTheHostPortItsCommentsAndConfigsName() {
        Map<String, String> hostPorts = new HashMap<>();
        services.forEach(
                (name, svc) -> {
                    for (Object p : list(svc.get("ports"))) {
                        Matcher m = Pattern.compile("(\\d+):(\\d+)").matcher((String) p);
                        assertThat(m.matches()).as(name + " port " + p).isTrue();
                        assertThat(hostPorts.put(m.group(1), name))
                                .as("host port " + m.group(1) + " used twice")
                                .isNull();
                    }
                });
        // 6379 stays free for the local Redis 8 the CLI and tests start.
        assertThat(hostPorts).containsOnlyKeys("9092", "6380", "8081", "8085");
        assertThat(list(services.get("redis").get("ports"))).containsExactly("6380:6379");
        assertThat(list(services.get("jobmanager").get("ports"))).containsExactly("8081:8081");
        assertThat(list(services.get("registry").get("ports"))).containsExactly("8085:8080");
        Map<?, ?> kafka = (Map<?, ?>) services.get("kafka").get("environment");
        assertThat(list(services.get("kafka").get("ports"))).containsExactly("9092:9092");
        assertThat((String) kafka.get("KAFKA_LISTENERS")).contains("EXTERNAL://:9092");
        assertThat((String) kafka.get("KAFKA_ADVERTISED_LISTENERS"))
                .contains("EXTERNAL://localhost:9092", "INTERNAL://kafka:19092");
    }

    @Test
    void mountsOnlyPathsThatExistOrThatTheBuildMakes() throws Exception {
        for (var e : services.entrySet()) {
            for (Object v : list(e.getValue().get("volumes"))) {
                String source =
                        v instanceof Map<?, ?> m
                                ? (String) m.get("source")
                                : defaults((String) v).split(":")[0];
                Path host = ROOT.resolve(defaults(source)).normalize();
                if (ROOT.relativize(host).toString().contains("target")) {
                    // A build output: the module exists and names its jar as mounted.
                    Path module = ROOT.resolve(ROOT.relativize(host).getName(0));
                    assertThat(module.resolve("pom.xml")).as(e.getKey() + " " + source).exists();
                    if (source.endsWith(".jar")) {
                        String jar = host.getFileName().toString().replace(".jar", "");
                        assertThat(Files.readString(module.resolve("pom.xml")))
                                .contains("<finalName>" + jar + "</finalName>");
                    }
                } else {
                    assertThat(host).as(e.getKey() + " mounts " + source).exists();
                }
            }
        }
    }

    @Test
    void submitsVideoInKafkaOutWithKeysTheJobKnows() throws Exception {
        JobConfig avro = submitted("submit");
        assertThat(avro.io().toString())
                .containsIgnoringCase("video")
                .containsIgnoringCase("kafka");
        JobConfig confluent = submitted("submit-confluent");
        assertThat(list(services.get("submit-confluent").get("profiles")))
                .containsExactly("registry");
        assertThat(list(services.get("registry").get("profiles"))).containsExactly("registry");
        URI registry = URI.create(confluent.conf().toMap().get("schema-registry.url"));
        assertThat(registry.getHost()).isEqualTo("registry");
        assertThat(list(services.get("registry").get("ports")))
                .contains("8085:" + registry.getPort());
        // Two jobs on one cluster: their transactions and topics must not collide.
        assertThat(confluent.get(KafkaOptions.TRANSACTIONAL_ID_PREFIX))
                .isNotEqualTo(avro.get(KafkaOptions.TRANSACTIONAL_ID_PREFIX));
        assertThat(confluent.get(KafkaOptions.IDENTITIES_TOPIC))
                .isNotEqualTo(avro.get(KafkaOptions.IDENTITIES_TOPIC));
    }

    @Test
    void enrolsWithOptionsTheCliKnows() {
        List<Object> entry = list(services.get("enroll").get("entrypoint"));
        String script = (String) entry.get(entry.size() - 1);
        String[] words = script.split("\\s+");
        int main = List.of(words).indexOf(FacestreamCli.class.getName());
        assertThat(main).isPositive();
        String[] args = List.of(words).subList(main + 1, words.length).toArray(String[]::new);
        // Parses (unknown options or a missing folder argument would throw).
        new CommandLine(new FacestreamCli()).parseArgs(args);
        assertThat(containerToHost("enroll", args[args.length - 1])).isDirectory();
    }

    @Test
    void passesFlinkOnlyKeysFlinkKnows() throws Exception {
        List<String> known = new ArrayList<>();
        for (Class<?> c :
                List.of(
                        org.apache.flink.configuration.JobManagerOptions.class,
                        org.apache.flink.configuration.TaskManagerOptions.class,
                        org.apache.flink.configuration.ExternalResourceOptions.class)) {
            known.addAll(OptionKeys.of(c));
        }
        services.forEach(
                (name, svc) -> {
                    Map<?, ?> env = (Map<?, ?>) svc.get("environment");
                    if (env == null || env.get("FLINK_PROPERTIES") == null) {
                        return;
                    }
                    for (String line : ((String) env.get("FLINK_PROPERTIES")).split("\n")) {
                        String key = line.split(":", 2)[0].strip();
                        if (key.startsWith("external-resource.hailo.")) {
                            assertThat(key)
                                    .as(name)
                                    .matches(
                                            "external-resource\\.hailo\\.(amount|driver-factory\\.class|param\\..+)");
                        } else {
                            assertThat(known).as(name + ": " + line).contains(key);
                        }
                        if (key.endsWith("driver-factory.class")) {
                            assertThat(classExists(line.split(":", 2)[1].strip()))
                                    .as(line)
                                    .isTrue();
                        }
                    }
                });
    }

    /** The job configuration a submit service passes, checked and loaded. */
    private static JobConfig submitted(String service) throws Exception {
        List<Object> entry = list(services.get(service).get("entrypoint"));
        assertThat(entry).as(service).contains("run", "/jars/facestream-job.jar", "--config");
        assertThat(entry.get(entry.indexOf("-c") + 1))
                .isEqualTo(io.facestream.job.FacestreamJob.class.getName());
        Path file = containerToHost(service, (String) entry.get(entry.indexOf("--config") + 1));
        assertThat(file).as(service).exists();
        Properties raw = new Properties();
        List<String> known = OptionKeys.job();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank() && !line.startsWith("#")) {
                String key = line.split(":", 2)[0].strip();
                assertThat(known.contains(key) || key.startsWith(KafkaOptions.PROPERTIES_PREFIX))
                        .as(file.getFileName() + ": unknown key " + key)
                        .isTrue();
                raw.put(key, line.split(":", 2)[1].strip());
            }
        }
        JobConfig cfg = JobConfig.load(file, List.of()); // validates, as at submit
        for (String uri : raw.getProperty("source.uris").split(";")) {
            String path = uri.substring(uri.indexOf('=') + 1);
            assertThat(containerToHost(service, path)).as(uri).exists();
        }
        assertThat(
                        containerToHost(service, raw.getProperty("models.dir"))
                                .resolve(cfg.embedder().file()))
                .exists();
        String bootstrap = raw.getProperty("kafka.bootstrap-servers");
        Map<?, ?> kafka = (Map<?, ?>) services.get("kafka").get("environment");
        assertThat((String) kafka.get("KAFKA_ADVERTISED_LISTENERS")).contains("//" + bootstrap);
        URI redis = URI.create(raw.getProperty("redis.url"));
        assertThat(services).containsKey(redis.getHost());
        assertThat(list(services.get(redis.getHost()).get("ports")))
                .anyMatch(p -> ((String) p).endsWith(":" + redis.getPort()));
        return cfg;
    }

    /** Where a container path of {@code service} is on the host, through its bind mounts. */
    private static Path containerToHost(String service, String containerPath) {
        for (Object v : list(services.get(service).get("volumes"))) {
            String[] parts =
                    v instanceof Map<?, ?> m
                            ? new String[] {(String) m.get("source"), (String) m.get("target")}
                            : defaults((String) v).split(":");
            if (containerPath.equals(parts[1]) || containerPath.startsWith(parts[1] + "/")) {
                return ROOT.resolve(defaults(parts[0]))
                        .resolve(containerPath.substring(parts[1].length()).replaceFirst("^/", ""))
                        .normalize();
            }
        }
        throw new AssertionError(service + " mounts nothing at " + containerPath);
    }

    private static String defaults(String s) {
        return VAR.matcher(s).replaceAll(m -> Matcher.quoteReplacement(m.group(2)));
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return o == null ? List.of() : (List<Object>) o;
    }

    private static boolean classExists(String name) {
        try {
            Class.forName(name);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
