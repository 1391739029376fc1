package io.facestream.flink;

import io.facestream.embed.EmbeddingException;
import io.facestream.embed.FaceEmbedder;
import io.facestream.embed.Vectors;
import io.facestream.model.ModelManifest;
import io.facestream.model.ModelSpec;
import io.facestream.schema.DeadLetter;
import io.facestream.schema.internal.FaceCrop;
import io.facestream.schema.internal.FaceEmbedding;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Buffers aligned crops in keyed Flink state and embeds them in batches: when {@code batchSize}
 * crops wait, or when the oldest has waited {@code maxDelayMs} (a processing-time timer). The
 * buffer is checkpointed, so crops waiting at a failure are embedded after the restore, not lost.
 *
 * <p>Keys are shards, not cameras: crops of many cameras share a batch. Metrics: {@code batchSize},
 * {@code waitMs} (oldest crop's time in the buffer), {@code embedMs} histograms; {@code frameAgeMs}
 * ({@link FrameAge}: per embedded face, its frame's age as the embedding leaves); {@code
 * deadLetters} for crops the model cannot embed (NaN or infinite output).
 */
public class EmbedBatcher extends KeyedProcessFunction<Integer, FaceCrop, FaceEmbedding> {
    /**
     * An event-time timer only the final watermark of a bounded input reaches: Flink drops pending
     * processing-time timers when input ends, so this one flushes what still waits.
     */
    static final long END_OF_INPUT = Long.MAX_VALUE - 1;

    private final EmbedSettings settings;
    private transient FaceEmbedder embedder;
    private transient ListState<FaceCrop> buffer;
    private transient ValueState<Integer> size;
    private transient ValueState<Long> timer;
    private transient Histogram batchSizes;
    private transient Histogram waits;
    private transient Histogram embedTimes;
    private transient Histogram frameAges;
    private transient Counter deadLetters;

    public EmbedBatcher(EmbedSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext ctx) {
        OpenCvThreads.single();
        ModelManifest manifest = ModelManifest.bundled();
        ModelSpec spec =
                settings.embedderId() == null
                        ? manifest.defaultEmbedder()
                        : manifest.get(settings.embedderId());
        embedder = FaceEmbedder.open(spec, settings.models(), settings.batchSize());
        buffer =
                getRuntimeContext()
                        .getListState(
                                new ListStateDescriptor<>(
                                        "crops", new AvroTypeInfo<>(FaceCrop.class)));
        size = getRuntimeContext().getState(new ValueStateDescriptor<>("size", Types.INT));
        timer = getRuntimeContext().getState(new ValueStateDescriptor<>("timer", Types.LONG));
        var group = getRuntimeContext().getMetricGroup();
        batchSizes = group.histogram("batchSize", new DescriptiveStatisticsHistogram(1000));
        waits = group.histogram("waitMs", new DescriptiveStatisticsHistogram(1000));
        embedTimes = group.histogram("embedMs", new DescriptiveStatisticsHistogram(1000));
        frameAges = FrameAge.register(group);
        deadLetters = group.counter("deadLetters");
    }

    @Override
    public void processElement(FaceCrop crop, Context ctx, Collector<FaceEmbedding> out)
            throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        crop.setEnqueuedAt(now);
        buffer.add(crop);
        int n = size.value() == null ? 1 : size.value() + 1;
        size.update(n);
        if (n >= settings.batchSize()) {
            flush(ctx, out);
        } else if (timer.value() == null) {
            long at = now + settings.maxDelayMs();
            ctx.timerService().registerProcessingTimeTimer(at);
            ctx.timerService().registerEventTimeTimer(END_OF_INPUT);
            timer.update(at);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<FaceEmbedding> out)
            throws Exception {
        timer.clear();
        flush(ctx, out);
    }

    private void flush(Context ctx, Collector<FaceEmbedding> out) throws Exception {
        List<FaceCrop> crops = new ArrayList<>();
        for (FaceCrop c : buffer.get()) {
            crops.add(c);
        }
        buffer.clear();
        size.clear();
        Long pending = timer.value();
        if (pending != null) {
            ctx.timerService().deleteProcessingTimeTimer(pending);
            ctx.timerService().deleteEventTimeTimer(END_OF_INPUT);
            timer.clear();
        }
        if (crops.isEmpty()) {
            return;
        }
        long now = ctx.timerService().currentProcessingTime();
        waits.update(now - crops.get(0).getEnqueuedAt());
        batchSizes.update(crops.size());
        long t0 = System.nanoTime();
        float[][] vectors;
        try {
            vectors = embed(crops);
        } catch (EmbeddingException e) {
            // One bad crop must not cost the batch: embed one by one to find it.
            vectors = new float[crops.size()][];
            for (int i = 0; i < crops.size(); i++) {
                try {
                    vectors[i] = embed(List.of(crops.get(i)))[0];
                } catch (EmbeddingException single) {
                    deadLetters.inc();
                    ctx.output(DeadLetters.TAG, deadLetter(crops.get(i), single));
                }
            }
        }
        embedTimes.update((System.nanoTime() - t0) / 1_000_000);
        // One clock read for the batch: its crops leave together.
        long leftAt = System.currentTimeMillis();
        String model = embedder.spec().vectorSpace();
        for (int i = 0; i < crops.size(); i++) {
            if (vectors[i] == null) {
                continue;
            }
            FaceCrop c = crops.get(i);
            frameAges.update(leftAt - c.getRef().getTimestamp());
            try {
                out.collect(embedding(c, vectors[i], model));
            } catch (EmbeddingException e) {
                deadLetters.inc();
                ctx.output(DeadLetters.TAG, deadLetter(c, e));
            }
        }
    }

    /**
     * The record for one crop's vector; refuses NaN and infinite elements. {@link FaceEmbedder}
     * already refuses them when it normalises; checked again here because this record is what the
     * gallery is searched with, and the check costs nothing next to the model call.
     */
    static FaceEmbedding embedding(FaceCrop c, float[] vector, String model) {
        Vectors.requireFinite(vector);
        List<Float> v = new ArrayList<>(vector.length);
        for (float x : vector) {
            v.add(x);
        }
        return FaceEmbedding.newBuilder()
                .setRef(c.getRef())
                .setEmbedding(v)
                .setEmbedderModel(model)
                .build();
    }

    /** The dead letter of a crop the model could not embed, with the reason. */
    static DeadLetter deadLetter(FaceCrop c, EmbeddingException e) {
        return DeadLetters.of(
                "camera "
                        + c.getRef().getCameraId()
                        + " frame "
                        + c.getRef().getSequence()
                        + " face "
                        + c.getRef().getFace().getFaceIndex(),
                "embed",
                e,
                null);
    }

    private float[][] embed(List<FaceCrop> crops) {
        List<Mat> mats = new ArrayList<>(crops.size());
        try {
            for (FaceCrop c : crops) {
                mats.add(Frames.crop(Frames.bytes(c.getCrop()), c.getCropSize()));
            }
            return embedder.embed(mats);
        } finally {
            mats.forEach(Mat::close);
        }
    }

    @Override
    public void close() {
        if (embedder != null) {
            embedder.close();
        }
    }
}
