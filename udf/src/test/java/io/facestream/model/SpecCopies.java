package io.facestream.model;

import java.util.ArrayList;
import java.util.List;

/** Manifest entries with one thing changed, to open real model files under wrong promises. */
final class SpecCopies {
    private SpecCopies() {}

    static ModelSpec withFile(ModelSpec s, String file) {
        return new ModelSpec(
                s.id(),
                file,
                s.sha256(),
                s.kind(),
                s.family(),
                s.sameVectorsAs(),
                s.input(),
                s.outputs(),
                s.embeddingDim(),
                s.thresholds(),
                s.licence(),
                s.commercialUse(),
                s.source(),
                s.optimization());
    }

    static ModelSpec withSha256(ModelSpec s, String sha256) {
        return new ModelSpec(
                s.id(),
                s.file(),
                sha256,
                s.kind(),
                s.family(),
                s.sameVectorsAs(),
                s.input(),
                s.outputs(),
                s.embeddingDim(),
                s.thresholds(),
                s.licence(),
                s.commercialUse(),
                s.source(),
                s.optimization(),
                s.download());
    }

    static ModelSpec withDownload(ModelSpec s, ModelSpec.Download download) {
        return new ModelSpec(
                s.id(),
                s.file(),
                s.sha256(),
                s.kind(),
                s.family(),
                s.sameVectorsAs(),
                s.input(),
                s.outputs(),
                s.embeddingDim(),
                s.thresholds(),
                s.licence(),
                s.commercialUse(),
                s.source(),
                s.optimization(),
                download);
    }

    static ModelSpec withInput(ModelSpec s, String name, long[] shape) {
        ModelSpec.InputSpec in = s.input();
        ModelSpec.InputSpec changed =
                new ModelSpec.InputSpec(
                        name,
                        in.layout(),
                        shape,
                        in.width(),
                        in.height(),
                        in.resize(),
                        in.channelOrder(),
                        in.mean(),
                        in.std());
        return withInputAndOutputs(s, changed, s.outputs());
    }

    static ModelSpec withOutput(ModelSpec s, int index, String name, long[] shape) {
        List<ModelSpec.OutputSpec> outs = new ArrayList<>(s.outputs());
        ModelSpec.OutputSpec old = outs.get(index);
        outs.set(index, new ModelSpec.OutputSpec(name, shape, old.role()));
        return withInputAndOutputs(s, s.input(), outs);
    }

    private static ModelSpec withInputAndOutputs(
            ModelSpec s, ModelSpec.InputSpec in, List<ModelSpec.OutputSpec> outs) {
        return new ModelSpec(
                s.id(),
                s.file(),
                s.sha256(),
                s.kind(),
                s.family(),
                s.sameVectorsAs(),
                in,
                outs,
                s.embeddingDim(),
                s.thresholds(),
                s.licence(),
                s.commercialUse(),
                s.source(),
                s.optimization());
    }
}
