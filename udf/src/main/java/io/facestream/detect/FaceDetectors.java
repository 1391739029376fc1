package io.facestream.detect;

import io.facestream.model.ModelException;
import io.facestream.model.ModelOptions;
import io.facestream.model.ModelSpec;
import io.facestream.model.OnnxModel;

/** Opens the detector a manifest entry describes; its {@code family} picks the decoder. */
public final class FaceDetectors {
    private FaceDetectors() {}

    public static FaceDetector open(ModelSpec spec, ModelOptions models, DetectorOptions options) {
        if (spec.kind() != ModelSpec.Kind.DETECTOR) {
            throw new ModelException(
                    "model '" + spec.id() + "' is a " + spec.kind() + ", not a detector");
        }
        DetectionDecoder decoder = decoder(spec);
        return new OnnxFaceDetector(OnnxModel.open(spec, models), decoder, options);
    }

    static DetectionDecoder decoder(ModelSpec spec) {
        return switch (spec.family()) {
            case "retinaface" ->
                    new RetinaFaceDecoder(
                            role(spec, "boxes"), role(spec, "scores"), role(spec, "landmarks"));
            case "yunet" -> new YuNetDecoder();
            case "scrfd" -> new ScrfdDecoder();
            default ->
                    throw new ModelException(
                            "model '"
                                    + spec.id()
                                    + "' has unknown detector family '"
                                    + spec.family()
                                    + "'");
        };
    }

    private static String role(ModelSpec spec, String role) {
        return spec.outputs().stream()
                .filter(o -> role.equals(o.role()))
                .findFirst()
                .orElseThrow(
                        () ->
                                new ModelException(
                                        "model '"
                                                + spec.id()
                                                + "' has no output with role "
                                                + role))
                .name();
    }
}
