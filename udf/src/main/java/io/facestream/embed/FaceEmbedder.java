package io.facestream.embed;

import io.facestream.model.ModelException;
import io.facestream.model.ModelOptions;
import io.facestream.model.ModelSpec;
import io.facestream.model.OnnxModel;
import io.facestream.model.TensorPacker;
import java.nio.FloatBuffer;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Turns aligned face crops (8-bit BGR, the model's input size, normally 112×112) into L2-normalised
 * vectors of {@link #dimension()} floats. A dynamic-batch model gets up to {@code maxBatch} crops
 * per call; a batch-1 model is looped, with the same results. Channel order and normalisation come
 * from the manifest. One instance per thread.
 */
public final class FaceEmbedder implements AutoCloseable {
    private final OnnxModel model;
    private final int maxBatch;
    private final int dim;
    private final int width;
    private final int height;
    private FloatBuffer input;
    private boolean flipTta;

    public FaceEmbedder(OnnxModel model, int maxBatch) {
        if (model.spec().kind() != ModelSpec.Kind.EMBEDDER) {
            throw new ModelException("model '" + model.spec().id() + "' is not an embedder");
        }
        if (maxBatch < 1) {
            throw new IllegalArgumentException("embed batch size must be >= 1, got " + maxBatch);
        }
        this.model = model;
        this.maxBatch = model.dynamicBatch() ? maxBatch : 1;
        this.dim = model.spec().embeddingDim();
        this.width = model.spec().input().width();
        this.height = model.spec().input().height();
    }

    public static FaceEmbedder open(ModelSpec spec, ModelOptions options, int maxBatch) {
        return new FaceEmbedder(OnnxModel.open(spec, options), maxBatch);
    }

    public ModelSpec spec() {
        return model.spec();
    }

    public int dimension() {
        return dim;
    }

    /** The crop size this model takes (square). */
    public int inputSize() {
        return width;
    }

    /** The largest batch one model call gets: 1 for a fixed-batch model. */
    public int maxBatch() {
        return maxBatch;
    }

    /**
     * Horizontal-flip test-time augmentation: each crop and its mirror image are embedded and the
     * two vectors averaged (then normalised), which evens out pose and lighting asymmetry at twice
     * the model cost. Off by default; gallery and probes should be embedded the same way.
     */
    public FaceEmbedder flipTta(boolean on) {
        this.flipTta = on;
        return this;
    }

    public boolean flipTta() {
        return flipTta;
    }

    public float[] embed(Mat crop) {
        return embed(List.of(crop))[0];
    }

    /** One unit vector per crop, in order. */
    public float[][] embed(List<Mat> crops) {
        if (!flipTta) {
            return embedEach(crops);
        }
        List<Mat> mirrored = new java.util.ArrayList<>(crops.size());
        try {
            for (Mat c : crops) {
                Mat m = new Mat();
                org.bytedeco.opencv.global.opencv_core.flip(c, m, 1);
                mirrored.add(m);
            }
            float[][] a = embedEach(crops);
            float[][] b = embedEach(mirrored);
            for (int i = 0; i < a.length; i++) {
                for (int k = 0; k < dim; k++) {
                    a[i][k] += b[i][k];
                }
                a[i] = Vectors.normalize(a[i]);
            }
            return a;
        } finally {
            mirrored.forEach(Mat::close);
        }
    }

    private float[][] embedEach(List<Mat> crops) {
        float[][] out = new float[crops.size()][];
        for (int start = 0; start < crops.size(); start += maxBatch) {
            int n = Math.min(maxBatch, crops.size() - start);
            int per = 3 * width * height;
            if (input == null || input.capacity() < n * per) {
                input = TensorPacker.allocate(n, width, height);
            }
            input.clear();
            for (int i = 0; i < n; i++) {
                Mat c = crops.get(start + i);
                if (c.cols() != width || c.rows() != height || c.channels() != 3) {
                    throw new IllegalArgumentException(
                            "embedder '"
                                    + model.spec().id()
                                    + "' needs "
                                    + width
                                    + "x"
                                    + height
                                    + " BGR crops, got "
                                    + c.cols()
                                    + "x"
                                    + c.rows()
                                    + "x"
                                    + c.channels());
                }
                TensorPacker.pack(c, model.spec().input(), input);
            }
            input.flip();
            float[] flat =
                    model.run(input, new long[] {n, 3, height, width})
                            .get(model.spec().outputs().get(0).name());
            for (int i = 0; i < n; i++) {
                float[] v = new float[dim];
                System.arraycopy(flat, i * dim, v, 0, dim);
                out[start + i] = Vectors.normalize(v);
            }
        }
        return out;
    }

    @Override
    public void close() {
        model.close();
    }
}
