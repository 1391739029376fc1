package io.facestream.flink;

import io.facestream.schema.Frame;
import io.facestream.schema.internal.DetectedFace;
import io.facestream.schema.internal.FrameFaces;
import io.facestream.schema.internal.TrackedFrame;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * What a frame that has to wait for its predecessor keeps in the tracker's state, and what goes
 * ahead of it. The tracker decides on detections, quality, sequence and signature only; the frame's
 * picture ({@code Frame.data}, a JPEG of some 100 KB for 720p) goes on at once to the assembler as
 * a picture-ahead {@link TrackedFrame} on the same channel the frame itself takes later, so it
 * always arrives first and the assembler joins the two by sequence. Aligned crops stay (the
 * embedder needs them once the schedule is known), but only those of faces that can be embedded: in
 * tracked mode a face that failed a quality gate never is.
 */
final class WaitingFrames {
    private static final ByteBuffer EMPTY = ByteBuffer.wrap(new byte[0]);

    private WaitingFrames() {}

    /** {@code f} without its picture and without the crops of faces that cannot be embedded. */
    static FrameFaces slim(FrameFaces f, TrackSettings settings) {
        List<ByteBuffer> crops = new ArrayList<>(f.getCrops().size());
        for (int i = 0; i < f.getCrops().size(); i++) {
            DetectedFace d = f.getFaces().get(i);
            boolean keep = settings.everyFrame() || settings.embeddable(d);
            crops.add(keep ? f.getCrops().get(i) : EMPTY);
        }
        return FrameFaces.newBuilder(f)
                .setFrame(Frame.newBuilder(f.getFrame()).setData(EMPTY).build())
                .setCrops(crops)
                .build();
    }

    /** The picture of {@code f}, sent ahead of it. */
    static TrackedFrame pictureAhead(FrameFaces f) {
        return TrackedFrame.newBuilder()
                .setCameraId(f.getFrame().getCameraId())
                .setSequence(f.getFrame().getSequence())
                .setFrame(null)
                .setPicture(f.getFrame().getData())
                .build();
    }

    /** Whether the frame's picture went ahead of it ({@link #slim}). */
    static boolean pictureWentAhead(FrameFaces f) {
        return !f.getFrame().getData().hasRemaining();
    }

    /** {@code f} with the picture that went ahead of it put back. */
    static FrameFaces withPicture(FrameFaces f, ByteBuffer picture) {
        return FrameFaces.newBuilder(f)
                .setFrame(Frame.newBuilder(f.getFrame()).setData(picture).build())
                .build();
    }
}
