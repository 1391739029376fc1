package io.facestream.flink;

import io.facestream.detect.DetectorOptions;
import io.facestream.model.ModelOptions;
import io.facestream.quality.QualitySettings;
import java.io.Serializable;

/**
 * What {@link DetectAlignFunction} needs: the detector model id (null = manifest default), model
 * and detector options, the aligned crop size (the embedder's input, 112), the decoder's pixel
 * limit, the external resource to bind to ({@code null} for none, else e.g. {@code hailo}), and
 * whether to count frames per camera in accumulators named {@code frames:<camera>} (live progress
 * of a bounded job, readable through its {@code JobClient} while it runs), and the quality gates
 * ({@code quality.*}).
 */
public record DetectSettings(
        String detectorId,
        ModelOptions models,
        DetectorOptions detector,
        int cropSize,
        long maxPixels,
        String externalResource,
        boolean frameAccumulators,
        QualitySettings quality)
        implements Serializable {}
