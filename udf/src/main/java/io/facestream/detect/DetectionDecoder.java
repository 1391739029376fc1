package io.facestream.detect;

import io.facestream.model.OnnxModel;
import java.util.List;

/**
 * Turns one detector's raw outputs into faces in the coordinates of the network input (before
 * letterbox undo), keeping those scoring at least {@code minScore}. Pure: no session, no image.
 */
public interface DetectionDecoder {
    List<Face> decode(OnnxModel.Outputs outputs, int inputWidth, int inputHeight, float minScore);
}
