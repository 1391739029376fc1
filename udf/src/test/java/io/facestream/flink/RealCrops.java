package io.facestream.flink;

import io.facestream.analyze.AnalyzedFace;
import io.facestream.analyze.FaceAnalyzer;
import io.facestream.detect.DetectorOptions;
import io.facestream.model.ModelOptions;
import io.facestream.schema.internal.FaceCrop;
import io.facestream.schema.internal.FaceRef;
import io.facestream.testing.TestData;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Aligned crops of real faces (the six in Friends.jpg), as the detect stage emits them. */
final class RealCrops {
    private RealCrops() {}

    static List<FaceCrop> friends() {
        List<FaceCrop> out = new ArrayList<>();
        try (FaceAnalyzer a =
                FaceAnalyzer.open(null, null, ModelOptions.DEFAULT, DetectorOptions.DEFAULT, 8)) {
            List<AnalyzedFace> faces = a.analyze(TestData.data("friends/scenes/Friends.jpg"));
            for (AnalyzedFace f : faces) {
                out.add(
                        FaceCrop.newBuilder()
                                .setRef(
                                        FaceRef.newBuilder()
                                                .setCameraId("cam")
                                                .setSequence(7)
                                                .setTimestamp(1000)
                                                .setIngestTime(1000)
                                                .setFacesInFrame(faces.size())
                                                .setDetectorModel("retinaface_mnet025")
                                                .setFace(
                                                        DetectAlignFunction.toDetected(
                                                                f.index(), f.face()))
                                                .build())
                                .setCropSize(f.cropSize())
                                .setCrop(ByteBuffer.wrap(f.crop()))
                                .build());
            }
            return out;
        }
    }
}
