package io.facestream.gallery;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * What the Redis stores need of a vector: its FP32 blob and the check that it can be stored. The
 * maths (cosine, unit length) is {@link io.facestream.embed.Vectors}'s.
 */
final class VectorBlobs {
    private VectorBlobs() {}

    /**
     * The FP32 blob both Redis stores take: IEEE-754 float32, little-endian, no header. Redis reads
     * the blob in host order; every platform it is built for here is little-endian.
     */
    static byte[] toFp32(float[] vector) {
        ByteBuffer buffer =
                ByteBuffer.allocate(Float.BYTES * vector.length).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(vector);
        return buffer.array();
    }

    /** Refuses null, empty and non-finite vectors: one NaN makes every similarity NaN. */
    static void requireUsable(float[] vector, String what) {
        if (vector == null || vector.length == 0) {
            throw new GalleryException(what + ": the vector is empty");
        }
        double squares = 0;
        for (int i = 0; i < vector.length; i++) {
            if (!Float.isFinite(vector[i])) {
                throw new GalleryException(
                        what + ": element " + i + " of the vector is " + vector[i]);
            }
            squares += (double) vector[i] * vector[i];
        }
        if (squares == 0) {
            // A zero vector has no direction, so its cosine with anything is undefined.
            throw new GalleryException(what + ": the vector is all zeros");
        }
    }
}
