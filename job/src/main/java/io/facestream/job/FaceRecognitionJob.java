package io.facestream.job;

import static io.facestream.job.FacestreamOptions.*;

import io.facestream.flink.DeadLetters;
import io.facestream.flink.DetectAlignFunction;
import io.facestream.flink.EmbedBatcher;
import io.facestream.flink.EmbeddingLookupFunction;
import io.facestream.flink.GalleryLookupFunction;
import io.facestream.flink.LookupSettings;
import io.facestream.flink.TrackAssembler;
import io.facestream.flink.TrackSettings;
import io.facestream.flink.TrackerFunction;
import io.facestream.gallery.FaceGallery;
import io.facestream.gallery.Galleries;
import io.facestream.schema.AnnotatedFrame;
import io.facestream.schema.DeadLetter;
import io.facestream.schema.FaceAlert;
import io.facestream.schema.FaceAppearance;
import io.facestream.schema.FaceIdentity;
import io.facestream.schema.Frame;
import io.facestream.schema.internal.FaceCrop;
import io.facestream.schema.internal.FaceEmbedding;
import io.facestream.schema.internal.FaceMatches;
import io.facestream.schema.internal.FrameFaces;
import io.facestream.schema.internal.TrackedFrame;
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
 * The face-recognition graph: frames → detect/align/quality gates (bound to a {@code hailo} device
 * when configured, see {@link SlotGroups}) → per-camera tracker (frame order, tracks, embedding
 * schedule) → embed the scheduled faces in batches (keyed by shard) → async gallery lookup →
 * per-camera assembly (per-frame decision, per-track identity vote) → identities, annotated frames,
 * appearance events and dead letters. It takes its input stream and returns its output streams, so
 * tests, the local runner, replay and the job jar's main class all run this same graph with their
 * own sources and sinks.
 */
public final class FaceRecognitionJob {
    /** What the graph produces. */
    public record Outputs(
            DataStream<FaceIdentity> identities,
            DataStream<AnnotatedFrame> annotated,
            DataStream<FaceAppearance> appearances,
            DataStream<DeadLetter> deadLetters,
            DataStream<FaceAlert> alerts) {
        /** Without alerts (a graph built before they existed). */
        public Outputs(
                DataStream<FaceIdentity> identities,
                DataStream<AnnotatedFrame> annotated,
                DataStream<FaceAppearance> appearances,
                DataStream<DeadLetter> deadLetters) {
            this(identities, annotated, appearances, deadLetters, null);
        }
    }

    private FaceRecognitionJob() {}

    public static Outputs build(JobConfig cfg, DataStream<Frame> frames) {
        int p = cfg.get(PARALLELISM);
        int detectP = cfg.conf().getOptional(DETECT_PARALLELISM).orElse(p);
        int embedP = cfg.conf().getOptional(EMBED_PARALLELISM).orElse(p);
        LookupSettings lookup = cfg.lookupSettings();
        checkWatchlists(lookup);

        // Chained to the source by default (no copy); rebalanced, one camera uses every detector.
        DataStream<Frame> toDetect = cfg.get(DETECT_REBALANCE) ? frames.rebalance() : frames;
        SingleOutputStreamOperator<FrameFaces> detected =
                toDetect.process(
                                new DetectAlignFunction(cfg.detectSettings()),
                                new AvroTypeInfo<>(FrameFaces.class))
                        .name("detect-align")
                        .uid("detect-align")
                        .setParallelism(detectP);

        TrackSettings tracking = cfg.trackSettings();
        SingleOutputStreamOperator<FaceCrop> crops =
                detected.keyBy(f -> f.getFrame().getCameraId(), Types.STRING)
                        .process(new TrackerFunction(tracking), new AvroTypeInfo<>(FaceCrop.class))
                        .name("tracker")
                        .uid("tracker")
                        .setParallelism(p);
        DataStream<TrackedFrame> tracked = crops.getSideOutput(TrackerFunction.TRACKED);

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
                                cfg.unknownSettings().enabled()
                                        ? new EmbeddingLookupFunction(lookup)
                                        : new GalleryLookupFunction(lookup),
                                cfg.get(LOOKUP_TIMEOUT).toMillis(),
                                TimeUnit.MILLISECONDS,
                                cfg.get(LOOKUP_CAPACITY),
                                retry)
                        .returns(new AvroTypeInfo<>(FaceMatches.class))
                        .name("gallery-lookup")
                        .uid("gallery-lookup")
                        .setParallelism(embedP);

        SingleOutputStreamOperator<FaceIdentity> identities =
                tracked.keyBy(TrackedFrame::getCameraId, Types.STRING)
                        .connect(matches.keyBy(m -> m.getRef().getCameraId(), Types.STRING))
                        .process(
                                new TrackAssembler(
                                        cfg.assembleSettings(),
                                        tracking,
                                        lookup,
                                        cfg.unknownSettings()),
                                new AvroTypeInfo<>(FaceIdentity.class))
                        .name("track-assembler")
                        .uid("track-assembler")
                        .setParallelism(p);

        // One slot sharing group (parallelism slots) unless sized groups are configured.
        if (cfg.fineGrained()) {
            SlotGroups.apply(cfg, detected, crops, embeddings, matches, identities);
        }

        DataStream<DeadLetter> dead =
                detected.getSideOutput(DeadLetters.TAG)
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
                        .getSideOutput(TrackAssembler.ANNOTATED)
                        .assignTimestampsAndWatermarks(
                                WatermarkStrategy.<AnnotatedFrame>noWatermarks()
                                        .withTimestampAssigner(
                                                (r, ts) -> r.getTimestamp().toEpochMilli()))
                        .name("annotated-timestamps")
                        .uid("annotated-timestamps");
        DataStream<FaceAppearance> timedAppearances =
                identities
                        .getSideOutput(TrackAssembler.APPEARANCES)
                        .assignTimestampsAndWatermarks(
                                WatermarkStrategy.<FaceAppearance>noWatermarks()
                                        .withTimestampAssigner(
                                                (r, ts) -> r.getLastTimestamp().toEpochMilli()))
                        .name("appearance-timestamps")
                        .uid("appearance-timestamps");
        DataStream<FaceAlert> timedAlerts =
                identities
                        .getSideOutput(TrackAssembler.ALERTS)
                        .assignTimestampsAndWatermarks(
                                WatermarkStrategy.<FaceAlert>noWatermarks()
                                        .withTimestampAssigner(
                                                (r, ts) -> r.getTimestamp().toEpochMilli()))
                        .name("alert-timestamps")
                        .uid("alert-timestamps");
        return new Outputs(timedIds, timedFrames, timedAppearances, dead, timedAlerts);
    }

    /**
     * At submit: every list the configuration names must exist in the gallery (a misspelt list
     * would silently match nobody or never alert).
     */
    private static void checkWatchlists(LookupSettings lookup) {
        if (lookup.watch().namedLists().isEmpty()) {
            return;
        }
        try (FaceGallery g =
                Galleries.open(
                        lookup.redisUrl(),
                        lookup.gallery(),
                        lookup.galleryOptions(),
                        lookup.tls())) {
            WatchlistOptions.requireKnownLists(lookup.watch(), g);
        }
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
            int frame =
                    31 * c.getRef().getCameraId().hashCode()
                            + Long.hashCode(c.getRef().getSequence());
            return Math.floorMod(31 * frame + c.getRef().getFace().getFaceIndex(), shards);
        }
    }
}
