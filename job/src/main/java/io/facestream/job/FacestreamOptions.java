package io.facestream.job;

import io.facestream.gallery.RedisTls;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Every setting of the face-recognition job: key, type, default and meaning. Thresholds name their
 * quantity and direction. Keys are read from a Flink-style config file ({@code key: value} lines)
 * and {@code --set key=value} arguments; see {@link JobConfig}.
 */
public final class FacestreamOptions {
    private FacestreamOptions() {}

    // ---- source and sinks, chosen independently (see JobIo)
    public static final ConfigOption<JobIo.Source> SOURCE_TYPE =
            ConfigOptions.key("source.type")
                    .enumType(JobIo.Source.class)
                    .noDefaultValue()
                    .withDescription(
                            "video (source.uris) or kafka (kafka.topic.frames). Default: video when"
                                    + " source.uris is set, else kafka when"
                                    + " kafka.bootstrap-servers is.");
    public static final ConfigOption<List<JobIo.Sink>> SINK_TYPES =
            ConfigOptions.key("sink.types")
                    .enumType(JobIo.Sink.class)
                    .asList()
                    .noDefaultValue()
                    .withDescription(
                            "';'-separated: kafka (the kafka.topic.* outputs) and/or files"
                                    + " (output.dir). Default: kafka when kafka.bootstrap-servers"
                                    + " is set, plus files when output.dir is.");

    // ---- sources
    public static final ConfigOption<List<String>> SOURCE_URIS =
            ConfigOptions.key("source.uris")
                    .stringType()
                    .asList()
                    .noDefaultValue()
                    .withDescription(
                            "Video inputs read by the job's own source: files, folders of files,"
                                    + " rtsp:// URLs, webcams (webcam:0). Separated by ';'.");
    public static final ConfigOption<Integer> SOURCE_EVERY_NTH =
            ConfigOptions.key("source.every-nth")
                    .intType()
                    .defaultValue(1)
                    .withDescription("Keep every n-th decoded frame.");
    public static final ConfigOption<Double> SOURCE_MAX_FPS =
            ConfigOptions.key("source.max-fps")
                    .doubleType()
                    .defaultValue(0.0)
                    .withDescription(
                            "Keep at most this many frames per second of media time (0: all).");

    // ---- Kafka: the kafka.* keys are in io.facestream.job.kafka.KafkaOptions.

    // ---- detect
    public static final ConfigOption<String> DETECT_MODEL =
            ConfigOptions.key("detect.model")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Detector model id (default: the manifest's, retinaface_mnet025).");
    public static final ConfigOption<Float> DETECT_MIN_SCORE =
            ConfigOptions.key("detect.min-score")
                    .floatType()
                    .noDefaultValue()
                    .withDescription(
                            "Minimum detection score in [0, 1], higher = stricter (default: the model's).");
    public static final ConfigOption<Float> DETECT_PAD =
            ConfigOptions.key("detect.pad")
                    .floatType()
                    .defaultValue(0f)
                    .withDescription(
                            "Black border added on each side before detection, as a fraction of the frame.");
    public static final ConfigOption<String> DETECT_ACCELERATOR =
            ConfigOptions.key("detect.accelerator")
                    .stringType()
                    .defaultValue("none")
                    .withDescription(
                            "'hailo': the detect slot sharing group asks for the external resource"
                                    + " hailo: 1 (needs fine-grained resource management and the hailo plugin).");
    public static final ConfigOption<Integer> DETECT_PARALLELISM =
            ConfigOptions.key("detect.parallelism")
                    .intType()
                    .noDefaultValue()
                    .withDescription("Parallelism of the detect stage (default: the job's).");
    public static final ConfigOption<Boolean> DETECT_REBALANCE =
            ConfigOptions.key("detect.rebalance")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Spread every camera's frames over all detect subtasks (one network hop"
                                    + " per frame: an Avro copy of its bytes, 0.01-0.04 CPU ms) instead"
                                    + " of detecting them in the subtask that read them (chained, no"
                                    + " copy, but one camera's frames then use one detect subtask"
                                    + " only). Worth it with fewer cameras than detect subtasks;"
                                    + " the tracker restores each camera's frame order.");
    public static final ConfigOption<String> MODELS_DIR =
            ConfigOptions.key("models.dir")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Directory searched first for model files (else $FACESTREAM_MODELS, models/, ../shared/models).");
    public static final ConfigOption<Integer> MODELS_THREADS =
            ConfigOptions.key("models.threads")
                    .intType()
                    .defaultValue(1)
                    .withDescription("ONNX Runtime intra-op threads per operator instance.");

    public static final ConfigOption<String> MODELS_EXECUTION_PROVIDER =
            ConfigOptions.key("models.execution-provider")
                    .stringType()
                    .defaultValue("cpu")
                    .withDescription(
                            "ONNX Runtime execution provider: cpu, or cuda (needs onnxruntime_gpu"
                                    + " instead of onnxruntime on the classpath).");

    public static final ConfigOption<Map<String, String>> MODELS_OPTIMIZATION =
            ConfigOptions.key("models.optimization")
                    .mapType()
                    .defaultValue(Map.of())
                    .withDescription(
                            "ONNX Runtime graph optimisation level per model id (all, extended,"
                                    + " basic), e.g. mbf512_faceplugin:extended; a model not"
                                    + " named runs at its manifest level (all for every bundled"
                                    + " model).");
    public static final ConfigOption<Boolean> MODELS_SPINNING =
            ConfigOptions.key("models.spinning")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Let ONNX Runtime's intra-op pool threads spin while waiting for work"
                                    + " (only with models.threads > 1; costs CPU that other"
                                    + " subtasks need).");
    public static final ConfigOption<Boolean> MODELS_CPU_ARENA =
            ConfigOptions.key("models.cpu-arena")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription("ONNX Runtime's CPU arena allocator.");
    public static final ConfigOption<Boolean> MODELS_MEMORY_PATTERN =
            ConfigOptions.key("models.memory-pattern")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription("ONNX Runtime's pre-planned memory pattern.");

    // ---- embed
    public static final ConfigOption<String> EMBED_MODEL =
            ConfigOptions.key("embed.model")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Embedder model id (default: the manifest's, mbf512_faceplugin).");
    public static final ConfigOption<Integer> EMBED_BATCH_SIZE =
            ConfigOptions.key("embed.batch-size")
                    .intType()
                    .defaultValue(8)
                    .withDescription("Embed when this many crops wait.");
    public static final ConfigOption<Duration> EMBED_MAX_DELAY =
            ConfigOptions.key("embed.max-delay")
                    .durationType()
                    .defaultValue(Duration.ofMillis(5))
                    .withDescription(
                            "Embed a partial batch once its oldest crop has waited this long. On"
                                    + " CPUs a batch is no cheaper per face than one crop (see"
                                    + " docs/benchmarks.md), so waiting only adds latency; raise it"
                                    + " (e.g. 50ms) for accelerators that gain from batches.");
    public static final ConfigOption<Integer> EMBED_PARALLELISM =
            ConfigOptions.key("embed.parallelism")
                    .intType()
                    .noDefaultValue()
                    .withDescription("Parallelism of the embed stage (default: the job's).");

    // ---- gallery lookup and decision
    public static final ConfigOption<String> REDIS_URL =
            ConfigOptions.key("redis.url")
                    .stringType()
                    .defaultValue("redis://127.0.0.1:6379")
                    .withDescription(
                            "redis://[[user]:password@]host:port[/db]; credentials are never logged.");
    public static final ConfigOption<String> REDIS_TLS_TRUSTSTORE =
            ConfigOptions.key(RedisTls.TRUSTSTORE_KEY)
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "For rediss:// URLs: the trust store file that verifies the server's"
                                    + " certificate, at this path on every task manager (default:"
                                    + " the JVM's trust).");
    public static final ConfigOption<String> REDIS_TLS_TRUSTSTORE_PASSWORD =
            ConfigOptions.key(RedisTls.TRUSTSTORE_PASSWORD_KEY)
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Its password (masked wherever configuration is shown).");
    public static final ConfigOption<String> REDIS_TLS_TRUSTSTORE_TYPE =
            ConfigOptions.key(RedisTls.TRUSTSTORE_TYPE_KEY)
                    .stringType()
                    .defaultValue("PKCS12")
                    .withDescription("Its type: PKCS12 or JKS.");
    public static final ConfigOption<String> GALLERY =
            ConfigOptions.key("gallery.name").stringType().defaultValue("faces");
    public static final ConfigOption<String> GALLERY_BACKEND =
            ConfigOptions.key("gallery.backend")
                    .stringType()
                    .defaultValue("auto")
                    .withDescription("auto, vectorset or query-engine.");
    public static final ConfigOption<Integer> MATCH_TOP_K =
            ConfigOptions.key("match.top-k").intType().defaultValue(5);
    public static final ConfigOption<Float> MATCH_MIN_SIMILARITY =
            ConfigOptions.key("match.min-similarity")
                    .floatType()
                    .noDefaultValue()
                    .withDescription(
                            "Cosine in [-1, 1] the best entry must reach, else UNKNOWN (default: the embedder's, from the manifest).");
    public static final ConfigOption<Float> MATCH_MARGIN =
            ConfigOptions.key("match.same-identity-margin")
                    .floatType()
                    .defaultValue(Float.POSITIVE_INFINITY)
                    .withDescription(
                            "Two faces of one frame may share an identity only when both clear the"
                                    + " threshold by this margin (default: never).");
    public static final ConfigOption<String> MATCH_DECISION =
            ConfigOptions.key("match.decision")
                    .stringType()
                    .defaultValue("template")
                    .withDescription(
                            "What a face is compared with: 'template' (each identity's template,"
                                    + " the normalised mean of its entries) or 'top-k' (the top-k"
                                    + " entries, best entry per identity); the CLI's --decision;"
                                    + " see docs/accuracy.md.");
    public static final ConfigOption<Float> MATCH_MIN_IDENTITY_MARGIN =
            ConfigOptions.key("match.min-identity-margin")
                    .floatType()
                    .defaultValue(0f)
                    .withDescription(
                            "Margin rule: the decided identity's similarity must exceed the"
                                    + " runner-up identity's by this much, else UNKNOWN (0: off;"
                                    + " the CLI's --min-identity-margin; see docs/accuracy.md).");
    public static final ConfigOption<Duration> LOOKUP_TIMEOUT =
            ConfigOptions.key("lookup.timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription("After this (retries included) a face becomes LOOKUP_FAILED.");
    public static final ConfigOption<Integer> LOOKUP_CAPACITY =
            ConfigOptions.key("lookup.capacity")
                    .intType()
                    .defaultValue(100)
                    .withDescription("Lookups in flight per subtask.");
    public static final ConfigOption<Integer> LOOKUP_THREADS =
            ConfigOptions.key("lookup.threads")
                    .intType()
                    .defaultValue(4)
                    .withDescription(
                            "Threads per subtask that make the blocking Redis searches, off the"
                                    + " task thread.");
    public static final ConfigOption<Integer> LOOKUP_ATTEMPTS =
            ConfigOptions.key("lookup.max-attempts")
                    .intType()
                    .defaultValue(4)
                    .withDescription(
                            "Attempts per face, the first included, before LOOKUP_FAILED.");
    public static final ConfigOption<Duration> LOOKUP_RETRY_DELAY =
            ConfigOptions.key("lookup.retry-delay")
                    .durationType()
                    .defaultValue(Duration.ofMillis(500))
                    .withDescription(
                            "Wait between the attempts of one face's lookup (Redis unreachable,"
                                    + " gallery missing); see docs/reliability.md.");

    // ---- assembly, annotation, outputs
    public static final ConfigOption<Duration> ASSEMBLE_TIMEOUT =
            ConfigOptions.key("assemble.timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(60))
                    .withDescription(
                            "A frame waits this long for its faces' lookups; missing faces become LOOKUP_FAILED.");
    public static final ConfigOption<Boolean> ANNOTATE =
            ConfigOptions.key("annotate.enabled").booleanType().defaultValue(true);
    public static final ConfigOption<Integer> ANNOTATE_JPEG_QUALITY =
            ConfigOptions.key("annotate.jpeg-quality").intType().defaultValue(85);
    public static final ConfigOption<Boolean> ANNOTATE_DRAW =
            ConfigOptions.key("annotate.draw")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Draw boxes and names on annotated frames; when false they carry the"
                                    + " original picture and the identities only (replay draws"
                                    + " for itself).");
    public static final ConfigOption<String> OUTPUT_DIR =
            ConfigOptions.key("output.dir")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Local outputs: identities.jsonl, identities.avro, dead-letters.jsonl and an annotated MP4 per camera.");
    public static final ConfigOption<Double> OUTPUT_MP4_FPS =
            ConfigOptions.key("output.mp4-fps").doubleType().defaultValue(30.0);

    // ---- job
    public static final ConfigOption<Integer> PARALLELISM =
            ConfigOptions.key("parallelism").intType().defaultValue(1);
    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
            ConfigOptions.key("checkpoint.interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10));
    public static final ConfigOption<Duration> BUFFER_TIMEOUT =
            ConfigOptions.key("pipeline.buffer-timeout")
                    .durationType()
                    .defaultValue(Duration.ZERO)
                    .withDescription(
                            "Longest a partly filled network buffer waits before it is sent; 0"
                                    + " sends each record at once (Flink's default is 100 ms)."
                                    + " The job moves tens of records per frame, not millions: at"
                                    + " 0 no flusher threads wake every few ms, which cost more"
                                    + " CPU than the per-record sends (measured with 10 ms: 1.9"
                                    + " CPU ms per frame in flushers, a third less tracked"
                                    + " throughput; docs/benchmarks.md), and no record waits.");
    public static final ConfigOption<String> JOB_NAME =
            ConfigOptions.key("job.name").stringType().defaultValue("facestream");
    public static final ConfigOption<Boolean> FINE_GRAINED =
            ConfigOptions.key("resources.fine-grained")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Size every slot sharing group explicitly (detect 1 CPU, 512 MB heap,"
                                    + " 256 MB off-heap; embed 1 CPU, 512 + 128 MB; the rest 0.5 CPU,"
                                    + " 256 + 64 MB): task managers need taskmanager.memory.task.off-heap.size"
                                    + " for it. On automatically with detect.accelerator=hailo.");
    public static final ConfigOption<Boolean> PROGRESS_ACCUMULATORS =
            ConfigOptions.key("progress.accumulators")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Count frames per camera in Flink accumulators named frames:<camera>"
                                    + " (live progress of a bounded job; replay turns it on).");

    // ---- replay (io.facestream.replay.Replay): a bounded job over recorded video, then a report
    public static final ConfigOption<List<String>> REPLAY_INPUTS =
            ConfigOptions.key("replay.inputs")
                    .stringType()
                    .asList()
                    .noDefaultValue()
                    .withDescription(
                            "Video files or folders to replay, separated by ';'. The client and"
                                    + " every task manager must see them at these paths.");
    public static final ConfigOption<String> REPLAY_OUT =
            ConfigOptions.key("replay.out")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Report folder, written by the client: appearances.csv/.json,"
                                    + " thumbs/, report.html, videos/ (annotated MP4s).");
    public static final ConfigOption<Duration> REPLAY_FROM =
            ConfigOptions.key("replay.from")
                    .durationType()
                    .defaultValue(Duration.ZERO)
                    .withDescription("Start of the part of each video to read, media time.");
    public static final ConfigOption<Duration> REPLAY_TO =
            ConfigOptions.key("replay.to")
                    .durationType()
                    .noDefaultValue()
                    .withDescription("End of the part to read, media time (default: the end).");
    public static final ConfigOption<Double> REPLAY_FPS =
            ConfigOptions.key("replay.fps")
                    .doubleType()
                    .defaultValue(0.0)
                    .withDescription("Frames per second to sample (0: every frame).");
    public static final ConfigOption<String> REPLAY_RUNTIME_MODE =
            ConfigOptions.key("replay.runtime-mode")
                    .stringType()
                    .defaultValue("BATCH")
                    .withDescription("Flink runtime mode of the replay: BATCH or STREAMING.");
    public static final ConfigOption<Boolean> REPLAY_ANNOTATED_VIDEO =
            ConfigOptions.key("replay.annotated-video")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Also write an annotated H.264 MP4 per video under videos/ in the"
                                    + " report folder.");
}
