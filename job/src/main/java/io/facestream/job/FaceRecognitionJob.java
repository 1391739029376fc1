package io.facestream.job;

import static io.facestream.job.FacestreamOptions.*;

import io.facestream.flink.DeadLetters;
import io.facestream.flink.DetectAlignFunction;
import io.facestream.flink.EmbedBatcher;
import io.facestream.flink.FrameAssembler;
import io.facestream.flink.GalleryLookupFunction;
import io.facestream.schema.AnnotatedFrame;
import io.facestream.schema.DeadLetter;
import io.facestream.schema.FaceIdentity;
import io.facestream.schema.Frame;
import io.facestream.schema.internal.FaceCrop;
import io.facestream.schema.internal.FaceEmbedding;
import io.facestream.schema.internal.FaceMatches;
import io.facestream.schema.internal.FrameFaces;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.util.retryable.AsyncRetryStrategies;

/**
 * The face-recognition graph: frames → detect/align (bound to a {@code hailo} device when
 * configured, see {@link SlotGroups}) → embed in batches (keyed by shard) → async gallery lookup →
 * per-frame assembly and decision → identities, annotated frames and dead letters. It takes its
 * input stream and returns its output streams, so tests, the local runner, replay and the job jar's
 * main class all run this same graph with their own sources and sinks.
 */
public final class FaceRecognitionJob {
    /** What the graph produces. */
    public record Outputs(
            DataStream<FaceIdentity> identities,
            DataStream<AnnotatedFrame> annotated,
            DataStream<DeadLetter> deadLetters) {}

    private FaceRecognitionJob() {}

    public static Outputs build(JobConfig cfg, DataStream<Frame> frames) {
        int p = cfg.get(PARALLELISM);
        int detectP = cfg.conf().getOptional(DETECT_PARALLELISM).orElse(p);
        int embedP = cfg.conf().getOptional(EMBED_PARALLELISM).orElse(p);

        SingleOutputStreamOperator<FaceCrop> crops =
                frames.process(
                                new DetectAlignFunction(cfg.detectSettings()),
                                new AvroTypeInfo<>(FaceCrop.class))
                        .name("detect-align")
                        .uid("detect-align")
                        .setParallelism(detectP);
        DataStream<FrameFaces> frameFaces = crops.getSideOutput(DetectAlignFunction.FRAMES);

        SingleOutputStreamOperator<FaceEmbedding> embeddings =
                crops.keyBy(new Shard(4 * embedP), Types.INT)
                        .process(
                                new EmbedBatcher(cfg.embedSettings()),
                                new AvroTypeInfo<>(FaceEmbedding.class))
                        .name("embed-batcher")
                        .uid("embed-batcher")
                        .setParallelism(embedP);

        var retry =
                new AsyncRetryStrategies.FixedDelayRetryStrategyBuilder<FaceMatches>(
                                cfg.get(LOOKUP_ATTEMPTS), cfg.get(LOOKUP_RETRY_DELAY).toMillis())
                        .ifResult(GalleryLookupFunction.FAILED)
                        .build();
        SingleOutputStreamOperator<FaceMatches> matches =
                AsyncDataStream.unorderedWaitWithRetry(
                                embeddings,
                                new GalleryLookupFunction(cfg.lookupSettings()),
                                cfg.get(LOOKUP_TIMEOUT).toMillis(),
                                TimeUnit.MILLISECONDS,
                                cfg.get(LOOKUP_CAPACITY),
                                retry)
                        .returns(new AvroTypeInfo<>(FaceMatches.class))
                        .name("gallery-lookup")
                        .uid("gallery-lookup")
                        .setParallelism(embedP);

        SingleOutputStreamOperator<FaceIdentity> identities =
                frameFaces
                        .keyBy(
                                f ->
                                        FrameAssembler.key(
                                                f.getFrame().getCameraId(),
                                                f.getFrame().getSequence()),
                                Types.STRING)
                        .connect(
                                matches.keyBy(
                                        m -> FrameAssembler.key(m.getCameraId(), m.getSequence()),
                                        Types.STRING))
                        .process(
                                new FrameAssembler(cfg.assembleSettings()),
                                new AvroTypeInfo<>(FaceIdentity.class))
                        .name("frame-assembler")
                        .uid("frame-assembler")
                        .setParallelism(p);

        // One slot sharing group (parallelism slots) unless sized groups are configured.
        if (cfg.fineGrained()) {
            SlotGroups.apply(cfg, crops, embeddings, matches, identities);
        }

        DataStream<DeadLetter> dead =
                crops.getSideOutput(DeadLetters.TAG)
                        .union(embeddings.getSideOutput(DeadLetters.TAG));
        // Records completed by the end-of-input timer carry that timer's timestamp; sinks (Kafka
        // record timestamps) get the frame's event time instead.
        DataStream<FaceIdentity> timedIds =
                identities
                        .assignTimestampsAndWatermarks(
                                WatermarkStrategy.<FaceIdentity>noWatermarks()
                                        .withTimestampAssigner(
                                                (r, ts) -> r.getTimestamp().toEpochMilli()))
                        .name("identity-timestamps")
                        .uid("identity-timestamps");
        DataStream<AnnotatedFrame> timedFrames =
                identities
                        .getSideOutput(FrameAssembler.ANNOTATED)
                        .assignTimestampsAndWatermarks(
                                WatermarkStrategy.<AnnotatedFrame>noWatermarks()
                                        .withTimestampAssigner(
                                                (r, ts) -> r.getTimestamp().toEpochMilli()))
                        .name("annotated-timestamps")
                        .uid("annotated-timestamps");
        return new Outputs(timedIds, timedFrames, dead);
    }

    /**
     * Spreads crops over {@code shards} keys, so batches mix cameras and the faces of one frame are
     * embedded on several subtasks at once (a frame waits for its slowest face).
     */
    static final class Shard implements KeySelector<FaceCrop, Integer> {
        private final int shards;

        Shard(int shards) {
            this.shards = shards;
        }

        @Override
        public Integer getKey(FaceCrop c) {
            int frame = 31 * c.getCameraId().hashCode() + Long.hashCode(c.getSequence());
            return Math.floorMod(31 * frame + c.getFace().getFaceIndex(), shards);
        }
    }
}
