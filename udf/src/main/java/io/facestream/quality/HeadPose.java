package io.facestream.quality;

/**
 * Head yaw and pitch in degrees estimated from the 5 ArcFace-order landmarks alone (no 3D fit).
 *
 * <p>Model: a rigid head seen orthographically whose eyes and mouth corners lie in one plane and
 * whose nose tip stands {@code D} in front of it. The nose is written in the face's own 2D frame,
 * {@code nose - eyeMid = a * (rightEye - leftEye) + b * (mouthMid - eyeMid)}, which cancels roll,
 * scale and position. Turning the head by yaw {@code θ} shrinks the eye vector by {@code cos θ} and
 * moves the nose sideways by {@code D sin θ}, so {@code a = (D / w) tan θ} with {@code w} the
 * inter-ocular distance; tilting by pitch {@code φ} gives {@code b = b0 + (D / h) tan φ} with
 * {@code h} the eye-to-mouth height and {@code b0} the frontal value. Calibration: {@code b0} =
 * 0.495 and {@code h / w} = 1.15 from the ArcFace template; {@code D / w} = 0.40 from the generic
 * 3D head used for landmark pose estimation (eye centres about 310 units apart, 110-135 units
 * behind the nose tip; see docs/quality.md). The angles are a monotone proxy, good enough to gate
 * on: a nose that sits on the line through one eye (a = ±0.5) reads as 51° of yaw.
 *
 * @param yaw degrees in [-90, 90], 0 = frontal; positive when the nose points to the image right
 *     (the subject turned towards their own left)
 * @param pitch degrees in [-90, 90], 0 = frontal; positive when the nose sits lower than on a
 *     frontal face (the subject looks down)
 */
public record HeadPose(float yaw, float pitch) {
    /** Nose depth over inter-ocular distance of the generic head. */
    static final double DEPTH_OVER_EYES = 0.40;

    /** Eye-to-mouth height over inter-ocular distance, from the ArcFace template. */
    static final double HEIGHT_OVER_EYES = 1.15;

    /** Where the nose sits between eye line (0) and mouth line (1) on a frontal face. */
    static final double FRONTAL_NOSE_HEIGHT = 0.495;

    /** The pose of a face from its landmarks {@code x0,y0,...,x4,y4} in ArcFace order. */
    public static HeadPose estimate(float[] landmarks) {
        double ex = landmarks[2] - landmarks[0];
        double ey = landmarks[3] - landmarks[1];
        double emx = (landmarks[0] + landmarks[2]) / 2.0;
        double emy = (landmarks[1] + landmarks[3]) / 2.0;
        double mx = (landmarks[6] + landmarks[8]) / 2.0 - emx;
        double my = (landmarks[7] + landmarks[9]) / 2.0 - emy;
        double nx = landmarks[4] - emx;
        double ny = landmarks[5] - emy;
        double det = ex * my - ey * mx;
        double scale = Math.max(ex * ex + ey * ey, mx * mx + my * my);
        if (!(Math.abs(det) > 1e-6 * scale)) {
            // Eyes on top of each other, or eye line along the face's axis: no frontal geometry
            // left to measure, which is what a profile looks like.
            return new HeadPose(90f, 0f);
        }
        // Cramer's rule for nose = a * eyeVector + b * mouthVector.
        double a = (nx * my - ny * mx) / det;
        double b = (ex * ny - ey * nx) / det;
        double yaw = Math.toDegrees(Math.atan(a / DEPTH_OVER_EYES));
        double pitch =
                Math.toDegrees(
                        Math.atan((b - FRONTAL_NOSE_HEIGHT) * HEIGHT_OVER_EYES / DEPTH_OVER_EYES));
        return new HeadPose((float) yaw, (float) pitch);
    }
}
