package io.facestream.replay;

import io.facestream.decode.ImageDecodeException;
import io.facestream.decode.ImageDecoder;
import io.facestream.flink.Frames;
import io.facestream.schema.FaceAppearance;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * The thumbnail of a track: the JPEG of its best-quality face that the live job put in the
 * appearance event (cut from the undrawn frame, padded a fifth of the box on each side), checked to
 * decode so a broken image never reaches the report.
 */
final class Thumbnails {
    private Thumbnails() {}

    /**
     * The event's JPEG, or null when it has none (no face passed the gates) or it is unreadable.
     */
    static byte[] of(FaceAppearance e) {
        if (e.getThumbnail() == null) {
            return null;
        }
        byte[] jpeg = Frames.bytes(e.getThumbnail());
        if (jpeg.length == 0) {
            return null;
        }
        try (Mat img = new ImageDecoder().decode(jpeg, "thumbnail of track " + e.getTrackId())) {
            return jpeg;
        } catch (ImageDecodeException bad) {
            return null; // the report shows "no image" rather than failing the whole replay
        }
    }
}
