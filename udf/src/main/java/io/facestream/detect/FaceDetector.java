package io.facestream.detect;

import io.facestream.model.ModelSpec;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Finds faces and their five landmarks in an 8-bit BGR image. Results are in pixels of that image,
 * sorted by descending score, after score threshold and NMS. An image with no face gives an empty
 * list. One instance per thread: implementations hold an ONNX session and buffers.
 */
public interface FaceDetector extends AutoCloseable {
    List<Face> detect(Mat bgr);

    ModelSpec spec();

    @Override
    void close();
}
