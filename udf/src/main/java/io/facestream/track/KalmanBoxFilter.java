package io.facestream.track;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Constant-velocity Kalman filter of a box, the tracker's motion model. The state is centre x,
 * centre y, width and height, each with its velocity per frame; a detection measures the four
 * directly. Noise scales with the box height, as in DeepSORT/ByteTrack (1/20 of the height for
 * positions, 1/160 for velocities). Because the transition, process noise and measurement noise are
 * all diagonal per coordinate, the 8-dimensional filter splits exactly into four independent
 * 2-state filters (position, velocity): each keeps a 2x2 covariance, which is what this class
 * stores. Arithmetic in double, so a snapshot restores bit-identical behaviour.
 */
final class KalmanBoxFilter {
    private static final double POSITION_NOISE = 1.0 / 20;
    private static final double VELOCITY_NOISE = 1.0 / 160;
    private static final double MIN_SIZE = 1.0;

    /** Indices into the per-coordinate arrays. */
    private static final int CX = 0, CY = 1, W = 2, H = 3;

    private final double[] pos = new double[4];
    private final double[] vel = new double[4];
    // Per-coordinate covariance [[p00, p01], [p01, p11]] of (position, velocity).
    private final double[] p00 = new double[4];
    private final double[] p01 = new double[4];
    private final double[] p11 = new double[4];

    private KalmanBoxFilter() {}

    /** Starts at the detection's box, at rest, with a wide velocity uncertainty. */
    static KalmanBoxFilter start(double x1, double y1, double x2, double y2) {
        KalmanBoxFilter f = new KalmanBoxFilter();
        f.pos[CX] = (x1 + x2) / 2;
        f.pos[CY] = (y1 + y2) / 2;
        f.pos[W] = Math.max(MIN_SIZE, x2 - x1);
        f.pos[H] = Math.max(MIN_SIZE, y2 - y1);
        double h = f.pos[H];
        for (int k = 0; k < 4; k++) {
            f.p00[k] = sq(2 * POSITION_NOISE * h);
            f.p11[k] = sq(10 * VELOCITY_NOISE * h);
        }
        return f;
    }

    /** Advances one frame: position += velocity; the uncertainty grows. */
    void predict() {
        double h = pos[H];
        double qPos = sq(POSITION_NOISE * h);
        double qVel = sq(VELOCITY_NOISE * h);
        for (int k = 0; k < 4; k++) {
            pos[k] += vel[k];
            p00[k] = p00[k] + 2 * p01[k] + p11[k] + qPos;
            p01[k] = p01[k] + p11[k];
            p11[k] = p11[k] + qVel;
        }
        for (int k = W; k <= H; k++) {
            if (pos[k] < MIN_SIZE) {
                // A shrinking box must not turn inside out while it is extrapolated.
                pos[k] = MIN_SIZE;
                vel[k] = 0;
            }
        }
    }

    /**
     * Stops the size from drifting while a track is unobserved (ByteTrack zeroes the height
     * velocity of lost tracks): a face that left the view must not keep growing or shrinking.
     */
    void freezeSize() {
        vel[W] = 0;
        vel[H] = 0;
    }

    /** Corrects the state with a detected box. */
    void update(double x1, double y1, double x2, double y2) {
        double[] z = {
            (x1 + x2) / 2, (y1 + y2) / 2, Math.max(MIN_SIZE, x2 - x1), Math.max(MIN_SIZE, y2 - y1)
        };
        double r = sq(POSITION_NOISE * pos[H]);
        for (int k = 0; k < 4; k++) {
            double s = p00[k] + r;
            double k0 = p00[k] / s;
            double k1 = p01[k] / s;
            double innovation = z[k] - pos[k];
            pos[k] += k0 * innovation;
            vel[k] += k1 * innovation;
            double n00 = (1 - k0) * p00[k];
            double n01 = (1 - k0) * p01[k];
            double n11 = p11[k] - k1 * p01[k];
            p00[k] = n00;
            p01[k] = n01;
            p11[k] = n11;
        }
    }

    double x1() {
        return pos[CX] - pos[W] / 2;
    }

    double y1() {
        return pos[CY] - pos[H] / 2;
    }

    double x2() {
        return pos[CX] + pos[W] / 2;
    }

    double y2() {
        return pos[CY] + pos[H] / 2;
    }

    double velocityX() {
        return vel[CX];
    }

    double velocityY() {
        return vel[CY];
    }

    void write(DataOutput out) throws IOException {
        for (double[] a : new double[][] {pos, vel, p00, p01, p11}) {
            for (double d : a) {
                out.writeDouble(d);
            }
        }
    }

    static KalmanBoxFilter read(DataInput in) throws IOException {
        KalmanBoxFilter f = new KalmanBoxFilter();
        for (double[] a : new double[][] {f.pos, f.vel, f.p00, f.p01, f.p11}) {
            for (int k = 0; k < a.length; k++) {
                a[k] = in.readDouble();
            }
        }
        return f;
    }

    private static double sq(double d) {
        return d * d;
    }
}
