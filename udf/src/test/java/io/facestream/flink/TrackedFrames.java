package io.facestream.flink;

import io.facestream.schema.Box;
import io.facestream.schema.Frame;
import io.facestream.schema.FrameEncoding;
import io.facestream.schema.Point;
import io.facestream.schema.internal.DetectedFace;
import io.facestream.schema.internal.FrameFaces;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Synthetic detections for the tracker and assembler tests: frames of one camera whose faces are
 * boxes at given positions. The frame's picture is a real photo (so thumbnails decode); the boxes
 * are the test's, not a detector's.
 */
final class TrackedFrames {
    static final String CAMERA = "cam";
    static final byte[] PHOTO = photo();

    private TrackedFrames() {}

    private static byte[] photo() {
        Path p =
                Path.of(System.getProperty("facestream.project.root", ".."))
                        .resolve("../shared/data/people/scenes/obama_and_biden.jpg")
                        .toAbsolutePath()
                        .normalize();
        try {
            return Files.readAllBytes(p);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the shared photo is missing: " + p, e);
        }
    }

    /** A square face of side {@code size} at ({@code x}, {@code y}); gate null = passed. */
    static DetectedFace face(int index, float x, float y, float size, String gate) {
        List<Point> lm = new ArrayList<>();
        lm.add(new Point(x + 0.3f * size, y + 0.4f * size));
        lm.add(new Point(x + 0.7f * size, y + 0.4f * size));
        lm.add(new Point(x + 0.5f * size, y + 0.6f * size));
        lm.add(new Point(x + 0.35f * size, y + 0.8f * size));
        lm.add(new Point(x + 0.65f * size, y + 0.8f * size));
        return DetectedFace.newBuilder()
                .setFaceIndex(index)
                .setBox(new Box(x, y, x + size, y + size))
                .setLandmarks(lm)
                .setScore(0.95f)
                .setQuality(gate == null ? 0.8f : 0.2f)
                .setGateReason(gate)
                .build();
    }

    /** Frame {@code seq} with {@code faces}; {@code previous} null when the producer omits it. */
    static FrameFaces frame(long seq, Long previous, List<DetectedFace> faces) {
        List<ByteBuffer> crops = new ArrayList<>();
        for (DetectedFace f : faces) {
            crops.add(ByteBuffer.wrap(new byte[] {(byte) f.getFaceIndex()}));
        }
        return FrameFaces.newBuilder()
                .setFrame(
                        Frame.newBuilder()
                                .setCameraId(CAMERA)
                                .setSequence(seq)
                                .setTimestamp(Instant.ofEpochMilli(1_000 + 33 * seq))
                                .setWidth(640)
                                .setHeight(360)
                                .setEncoding(FrameEncoding.JPEG)
                                .setData(ByteBuffer.wrap(PHOTO))
                                .setPreviousSequence(previous)
                                .build())
                .setIngestTime(0)
                .setDetectorModel("test-detector")
                .setFaces(faces)
                .setCropSize(1)
                .setCrops(crops)
                .build();
    }

    /** One face moving right by {@code step} px per frame, starting at x = 100. */
    static FrameFaces moving(long seq, Long previous, float step) {
        return frame(seq, previous, List.of(face(0, 100 + step * seq, 100, 60, null)));
    }
}
