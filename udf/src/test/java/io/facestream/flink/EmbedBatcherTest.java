package io.facestream.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.facestream.embed.EmbeddingException;
import io.facestream.embed.Vectors;
import io.facestream.model.ModelOptions;
import io.facestream.schema.DeadLetter;
import io.facestream.schema.internal.FaceCrop;
import io.facestream.schema.internal.FaceEmbedding;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The embed batcher in Flink's keyed operator harness, on real face crops and the real model. */
class EmbedBatcherTest {
    static List<FaceCrop> crops;

    @BeforeAll
    static void crops() {
        crops = RealCrops.friends();
        assertThat(crops).hasSize(6);
    }

    static KeyedOneInputStreamOperatorTestHarness<Integer, FaceCrop, FaceEmbedding> harness()
            throws Exception {
        EmbedBatcher batcher =
                new EmbedBatcher(new EmbedSettings(null, ModelOptions.DEFAULT, 3, 100));
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(batcher), c -> 0, Types.INT);
    }

    static void feed(
            KeyedOneInputStreamOperatorTestHarness<Integer, FaceCrop, FaceEmbedding> h,
            int from,
            int to)
            throws Exception {
        for (int i = from; i < to; i++) {
            h.processElement(new StreamRecord<>(FaceCrop.newBuilder(crops.get(i)).build(), 1000));
        }
    }

    @Test
    void flushesWhenTheBatchIsFull() throws Exception {
        try (var h = harness()) {
            h.open();
            feed(h, 0, 2);
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(h.numProcessingTimeTimers()).isEqualTo(1);
            assertThat(h.numKeyedStateEntries()).isGreaterThan(0);
            feed(h, 2, 3);
            List<FaceEmbedding> out = h.extractOutputValues();
            assertThat(out).hasSize(3);
            assertThat(out)
                    .extracting(e -> e.getRef().getFace().getFaceIndex())
                    .containsExactly(0, 1, 2);
            assertThat(out).allSatisfy(e -> assertThat(e.getEmbedding()).hasSize(512));
            assertThat(h.numProcessingTimeTimers()).isZero();
        }
    }

    @Test
    void flushesAPartialBatchWhenTheDelayHasPassed() throws Exception {
        try (var h = harness()) {
            h.open();
            h.setProcessingTime(0);
            feed(h, 0, 2);
            h.setProcessingTime(99);
            assertThat(h.extractOutputValues()).isEmpty();
            h.setProcessingTime(100);
            assertThat(h.extractOutputValues()).hasSize(2);
            assertThat(h.numProcessingTimeTimers()).isZero();
        }
    }

    @Test
    void restoresItsBufferFromASnapshot() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            h.setProcessingTime(0);
            feed(h, 0, 2);
            snapshot = h.snapshot(1L, 10L);
            assertThat(h.extractOutputValues()).isEmpty();
        }
        try (var restored = harness()) {
            restored.setup();
            restored.initializeState(snapshot);
            restored.open();
            assertThat(restored.numProcessingTimeTimers()).isEqualTo(1);
            feed(restored, 2, 3);
            List<FaceEmbedding> out = restored.extractOutputValues();
            assertThat(out)
                    .extracting(e -> e.getRef().getFace().getFaceIndex())
                    .containsExactly(0, 1, 2);
        }
    }

    @Test
    void batchedVectorsEqualOneAtATimeVectors() throws Exception {
        float[][] single = new float[3][];
        try (var h =
                new KeyedOneInputStreamOperatorTestHarness<Integer, FaceCrop, FaceEmbedding>(
                        new KeyedProcessOperator<>(
                                new EmbedBatcher(
                                        new EmbedSettings(null, ModelOptions.DEFAULT, 1, 100))),
                        c -> 0,
                        Types.INT)) {
            h.open();
            feed(h, 0, 3);
            List<FaceEmbedding> out = h.extractOutputValues();
            for (int i = 0; i < 3; i++) {
                single[i] = toArray(out.get(i).getEmbedding());
            }
        }
        try (var h = harness()) {
            h.open();
            feed(h, 0, 3);
            List<FaceEmbedding> out = h.extractOutputValues();
            for (int i = 0; i < 3; i++) {
                float[] v = toArray(out.get(i).getEmbedding());
                for (int j = 0; j < v.length; j++) {
                    assertThat(Math.abs(v[j] - single[i][j])).isLessThanOrEqualTo(1e-5f);
                }
            }
        }
    }

    /** A model output with NaN or infinity ends as a dead letter that says so, never a record. */
    @ParameterizedTest
    @ValueSource(floats = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY})
    void deadLettersNonFiniteModelOutputWithTheReason(float bad) {
        FaceCrop crop = crops.get(2);
        float[] vector = new float[512];
        java.util.Arrays.fill(vector, 0.04f);
        vector[7] = bad;
        vector[300] = bad;

        EmbeddingException e =
                catchThrowableOfType(
                        EmbeddingException.class,
                        () -> EmbedBatcher.embedding(crop, vector, "arcface"));
        assertThat(e)
                .hasMessageContaining("NaN or infinity")
                .hasMessageContaining("2 of 512 values are not finite (first at index 7: " + bad);
        // The embedder's own normalisation refuses the same raw output.
        assertThatThrownBy(() -> Vectors.normalize(vector.clone()))
                .isInstanceOf(EmbeddingException.class)
                .hasMessageContaining("first at index 7");

        DeadLetter d = EmbedBatcher.deadLetter(crop, e);
        assertThat(d.getStage()).isEqualTo("embed");
        assertThat(d.getSource())
                .isEqualTo(
                        "camera "
                                + crop.getRef().getCameraId()
                                + " frame "
                                + crop.getRef().getSequence()
                                + " face 2");
        assertThat(d.getErrorClass()).isEqualTo(EmbeddingException.class.getName());
        assertThat(d.getErrorMessage()).contains("not finite");

        vector[7] = 0.04f;
        vector[300] = 0.04f;
        assertThat(EmbedBatcher.embedding(crop, vector, "arcface").getEmbedding()).hasSize(512);
    }

    static float[] toArray(List<Float> l) {
        float[] v = new float[l.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = l.get(i);
        }
        return v;
    }
}
