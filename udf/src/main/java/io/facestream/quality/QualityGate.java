package io.facestream.quality;

import java.io.Serializable;
import java.util.Objects;

/**
 * Decides from a face's {@link FaceQuality} whether it is worth embedding. The gates run in a fixed
 * order and the first failure is the reason: LOW_SCORE, TOO_SMALL, BLURRED, POSE (a non-face, then
 * too few pixels, then blur, then the view). POSE comes last on purpose: a face whose reason is
 * POSE failed nothing else, so it is a clear face seen from the side, which the tracker may still
 * embed and name above a stricter bar ({@code quality.identify-pose-faces}); a blurred profile is
 * BLURRED. Pure and serializable, so Flink functions can hold one.
 */
public final class QualityGate implements Serializable {
    /** Eye distance of the 112×112 ArcFace template: more pixels than this add no detail. */
    static final float TEMPLATE_INTER_OCULAR = 35.24f;

    /** Sharpness at which the sharpness factor of {@link #quality} is one half. */
    static final float HALF_SHARPNESS = 100f;

    private final QualitySettings settings;

    public QualityGate(QualitySettings s) {
        this.settings = Objects.requireNonNull(s, "settings");
    }

    public QualitySettings settings() {
        return settings;
    }

    public QualityVerdict check(FaceQuality q) {
        QualityReason reason = reason(q);
        return new QualityVerdict(reason == null, reason, quality(q));
    }

    private QualityReason reason(FaceQuality q) {
        // Negated comparisons so that a NaN measure fails its gate rather than passing it.
        if (!(q.score() >= settings.minScore())) {
            return QualityReason.LOW_SCORE;
        }
        if (!(q.frontalInterOcular() >= settings.minInterOcular())) {
            return QualityReason.TOO_SMALL;
        }
        if (!(q.sharpness() >= settings.minSharpness())) {
            return QualityReason.BLURRED;
        }
        if (!(Math.abs(q.yaw()) <= settings.maxYaw()
                && Math.abs(q.pitch()) <= settings.maxPitch())) {
            return QualityReason.POSE;
        }
        return null;
    }

    /**
     * Quality in [0, 1] for ranking: score × size × pose × sharpness factors, each in [0, 1]. Size
     * saturates at the template's eye distance (the crop cannot hold more); pose is {@code cos(yaw)
     * cos(pitch)}; sharpness is {@code s / (s + HALF_SHARPNESS)}.
     */
    public static float quality(FaceQuality q) {
        double size = Math.min(1.0, q.frontalInterOcular() / TEMPLATE_INTER_OCULAR);
        double pose =
                Math.max(0, Math.cos(Math.toRadians(q.yaw())))
                        * Math.max(0, Math.cos(Math.toRadians(q.pitch())));
        double sharp = q.sharpness() / (q.sharpness() + HALF_SHARPNESS);
        double v = q.score() * size * pose * sharp;
        return v >= 0 ? (float) Math.min(1.0, v) : 0f;
    }
}
