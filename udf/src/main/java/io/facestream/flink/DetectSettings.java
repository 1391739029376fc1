package io.facestream.flink;

import io.facestream.detect.DetectorOptions;
import io.facestream.model.ModelOptions;
import java.io.Serializable;

/**
 * What {@link DetectAlignFunction} needs: the detector model id (null = manifest default), model
 * and detector options, the aligned crop size (the embedder's input, 112), the decoder's pixel
 * limit, and the external resource to bind to ({@code null} for none, else e.g. {@code hailo}).
 */
public record DetectSettings(
        String detectorId,
        ModelOptions models,
        DetectorOptions detector,
        int cropSize,
        long maxPixels,
        String externalResource)
        implements Serializable {}
