package io.facestream.job;

import static io.facestream.job.FacestreamOptions.*;

import io.facestream.decode.ImageDecoder;
import io.facestream.detect.DetectorOptions;
import io.facestream.flink.AssembleSettings;
import io.facestream.flink.DetectSettings;
import io.facestream.flink.EmbedSettings;
import io.facestream.flink.LookupSettings;
import io.facestream.flink.TrackOptions;
import io.facestream.flink.TrackSettings;
import io.facestream.flink.UnknownSettings;
import io.facestream.flink.UnknownsOptions;
import io.facestream.flink.WatchSettings;
import io.facestream.gallery.GalleryOptions;
import io.facestream.gallery.MatchDecision;
import io.facestream.gallery.RedisTls;
import io.facestream.job.kafka.KafkaOptions;
import io.facestream.job.kafka.SchemaRegistry;
import io.facestream.job.kafka.SchemaRegistryOptions;
import io.facestream.model.ModelManifest;
import io.facestream.model.ModelOptions;
import io.facestream.model.ModelSpec;
import io.facestream.quality.QualityOptions;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;

/**
 * The job's configuration: {@link FacestreamOptions} read from a config file of {@code key: value}
 * lines (Flink's flat YAML; {@code #} comments) and {@code key=value} overrides, validated, and
 * turned into the small settings each stage takes. Errors name the key and say what is wrong.
 */
public final class JobConfig implements Serializable {
    private final Configuration conf;
    private final JobIo io;

    public JobConfig(Configuration conf) {
        this.conf = conf;
        this.io = JobIo.of(conf);
        validate();
    }

    /** Reads {@code file} (may be null), then applies {@code overrides} ("key=value"). */
    public static JobConfig load(Path file, List<String> overrides) {
        Map<String, String> map = new LinkedHashMap<>();
        if (file != null) {
            try {
                for (String raw : Files.readAllLines(file)) {
                    String line = raw.strip();
                    if (line.isEmpty() || line.startsWith("#")) {
                        continue;
                    }
                    int colon = line.indexOf(':');
                    if (colon <= 0) {
                        throw new IllegalArgumentException(
                                file + ": expected 'key: value', got '" + line + "'");
                    }
                    map.put(
                            line.substring(0, colon).strip(),
                            unquote(line.substring(colon + 1).strip()));
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read config file " + file + ": " + e, e);
            }
        }
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value, got '" + o + "'");
            }
            map.put(o.substring(0, eq).strip(), o.substring(eq + 1).strip());
        }
        return new JobConfig(Configuration.fromMap(map));
    }

    private static String unquote(String v) {
        if (v.length() >= 2
                && ((v.startsWith("\"") && v.endsWith("\""))
                        || (v.startsWith("'") && v.endsWith("'")))) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }

    /** This configuration with {@code overrides} ({@code key -> value}) applied, validated. */
    public JobConfig with(Map<String, String> overrides) {
        Configuration copy = new Configuration(conf);
        Configuration extra = Configuration.fromMap(overrides);
        copy.addAll(extra);
        return new JobConfig(copy);
    }

    public Configuration conf() {
        return conf;
    }

    public <T> T get(org.apache.flink.configuration.ConfigOption<T> option) {
        return conf.get(option);
    }

    public boolean hailo() {
        return "hailo".equalsIgnoreCase(conf.get(DETECT_ACCELERATOR));
    }

    public boolean fineGrained() {
        return conf.get(FINE_GRAINED) || hailo();
    }

    /** Whether a Kafka broker is configured ({@code kafka.bootstrap-servers}). */
    public boolean kafka() {
        return conf.getOptional(KafkaOptions.BOOTSTRAP_SERVERS).isPresent();
    }

    /** The source and sinks the configuration chose, checked. */
    public JobIo io() {
        return io;
    }

    /** Kafka settings, validated against the checkpoint interval. */
    public KafkaOptions kafkaOptions() {
        return KafkaOptions.fromConfiguration(conf);
    }

    /** The schema registry of the Confluent wire format ({@code kafka.wire-format}), else null. */
    public SchemaRegistry schemaRegistry() {
        SchemaRegistryOptions o = SchemaRegistryOptions.fromConfiguration(conf);
        return o == null ? null : new SchemaRegistry(o);
    }

    private void validate() {
        watchSettings();
        String acc = conf.get(DETECT_ACCELERATOR);
        if (!acc.equalsIgnoreCase("none") && !acc.equalsIgnoreCase("hailo")) {
            throw new IllegalArgumentException(
                    "detect.accelerator must be 'none' or 'hailo', got '" + acc + "'");
        }
        long retries = conf.get(LOOKUP_RETRY_DELAY).toMillis() * (conf.get(LOOKUP_ATTEMPTS) - 1);
        if (conf.get(LOOKUP_TIMEOUT).toMillis() <= retries) {
            throw new IllegalArgumentException(
                    "lookup.timeout ("
                            + conf.get(LOOKUP_TIMEOUT)
                            + ") must exceed lookup.retry-delay x (lookup.max-attempts - 1) = "
                            + retries
                            + " ms, or retries never run out before the timeout");
        }
        if (io.kafkaSink()
                && conf.get(KafkaOptions.TRANSACTION_TIMEOUT)
                                .compareTo(conf.get(CHECKPOINT_INTERVAL))
                        <= 0) {
            throw new IllegalArgumentException(
                    "kafka.transaction-timeout must exceed checkpoint.interval: a transaction stays"
                            + " open from one checkpoint to the next");
        }
        if (conf.get(SchemaRegistryOptions.WIRE_FORMAT)
                        == SchemaRegistryOptions.WireFormat.CONFLUENT
                && !io.kafkaSource()
                && !io.kafkaSink()) {
            throw new IllegalArgumentException(
                    "kafka.wire-format is confluent but the job neither reads nor writes Kafka");
        }
        SchemaRegistryOptions.fromConfiguration(conf); // a missing schema-registry.url fails here
        if (conf.getOptional(SchemaRegistryOptions.URL).isPresent()
                && conf.get(SchemaRegistryOptions.WIRE_FORMAT)
                        != SchemaRegistryOptions.WireFormat.CONFLUENT) {
            throw new IllegalArgumentException(
                    "schema-registry.url is set but kafka.wire-format is avro (no registry):"
                            + " set kafka.wire-format: confluent or remove schema-registry.url");
        }
        embedder(); // unknown model ids fail here, before the job is submitted
        unknownSettings(); // so do bad unknowns.* values
        detector();
    }

    public ModelOptions models() {
        return new ModelOptions(
                conf.get(MODELS_DIR),
                conf.get(MODELS_THREADS),
                conf.get(MODELS_EXECUTION_PROVIDER),
                new io.facestream.model.OrtTuning(
                        conf.get(FacestreamOptions.MODELS_OPTIMIZATION),
                        conf.get(FacestreamOptions.MODELS_SPINNING),
                        conf.get(FacestreamOptions.MODELS_CPU_ARENA),
                        conf.get(FacestreamOptions.MODELS_MEMORY_PATTERN)));
    }

    public ModelSpec detector() {
        ModelManifest m = ModelManifest.bundled();
        return conf.getOptional(DETECT_MODEL).map(m::get).orElseGet(m::defaultDetector);
    }

    public ModelSpec embedder() {
        ModelManifest m = ModelManifest.bundled();
        return conf.getOptional(EMBED_MODEL).map(m::get).orElseGet(m::defaultEmbedder);
    }

    public DetectSettings detectSettings() {
        DetectorOptions d =
                new DetectorOptions(
                        conf.getOptional(DETECT_MIN_SCORE).orElse(Float.NaN),
                        Float.NaN,
                        conf.get(DETECT_PAD));
        return new DetectSettings(
                detector().id(),
                models(),
                d,
                embedder().input().width(),
                ImageDecoder.DEFAULT_MAX_PIXELS,
                hailo() ? "hailo" : null,
                conf.get(PROGRESS_ACCUMULATORS),
                QualityOptions.fromConfig(conf));
    }

    /** The tracker, schedule and vote ({@code track.*}). */
    public TrackSettings trackSettings() {
        return TrackOptions.fromConfig(conf);
    }

    public EmbedSettings embedSettings() {
        return new EmbedSettings(
                embedder().id(),
                models(),
                conf.get(EMBED_BATCH_SIZE),
                conf.get(EMBED_MAX_DELAY).toMillis());
    }

    public LookupSettings lookupSettings() {
        GalleryOptions g =
                GalleryOptions.defaults()
                        .withBackend(GalleryOptions.Backend.fromConfig(conf.get(GALLERY_BACKEND)));
        return new LookupSettings(
                conf.get(REDIS_URL),
                conf.get(GALLERY),
                g,
                conf.get(MATCH_TOP_K),
                conf.get(LOOKUP_THREADS),
                redisTls(),
                watchSettings(),
                MatchDecision.fromConfig(conf.get(MATCH_DECISION)));
    }

    /** Per-camera watchlists and the gallery refresh interval ({@link WatchlistOptions}). */
    public WatchSettings watchSettings() {
        return WatchlistOptions.fromConfig(conf);
    }

    /** How {@code rediss://} connections verify the server ({@code redis.tls.*}). */
    public RedisTls redisTls() {
        return new RedisTls(
                conf.get(REDIS_TLS_TRUSTSTORE),
                conf.get(REDIS_TLS_TRUSTSTORE_PASSWORD),
                conf.get(REDIS_TLS_TRUSTSTORE_TYPE));
    }

    public float minSimilarity() {
        return conf.getOptional(MATCH_MIN_SIMILARITY)
                .orElse((float) embedder().threshold("minSimilarity", 0.4));
    }

    /** Pseudonyms for unknown people ({@code unknowns.*}); disabled unless turned on. */
    public UnknownSettings unknownSettings() {
        return UnknownsOptions.fromConfig(
                conf,
                conf.get(REDIS_URL),
                redisTls(),
                conf.get(GALLERY),
                embedder().id(),
                minSimilarity());
    }

    public AssembleSettings assembleSettings() {
        return new AssembleSettings(
                minSimilarity(),
                conf.get(MATCH_MARGIN),
                conf.get(GALLERY),
                conf.get(ASSEMBLE_TIMEOUT).toMillis(),
                conf.get(ANNOTATE),
                conf.get(ANNOTATE_JPEG_QUALITY),
                conf.get(ANNOTATE_DRAW),
                conf.get(MATCH_MIN_IDENTITY_MARGIN));
    }

    /** The configuration with every secret masked, for logs and the web UI. */
    @Override
    public String toString() {
        Map<String, String> safe = new LinkedHashMap<>();
        conf.toMap().forEach((k, v) -> safe.put(k, Secrets.mask(k, v)));
        return safe.toString();
    }
}
