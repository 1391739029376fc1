package io.facestream.track;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A synthetic camera for tracker tests, the same for the same seed: faces enter at random, move in
 * straight lines for 5 to 60 frames with a pixel of jitter, hide now and then for a few frames;
 * some frames are dropped from the sequence; one-frame false detections with low scores appear.
 */
final class Scene {
    record Frame(long sequence, List<Detection> detections) {}

    private static final class Mover {
        double x, y, vx, vy, size;
        int framesLeft;
        int hiddenFor;
    }

    private Scene() {}

    static List<Frame> generate(long seed, int frames, double spawnPerFrame) {
        Random random = new Random(seed);
        List<Mover> movers = new ArrayList<>();
        List<Frame> out = new ArrayList<>(frames);
        long sequence = 0;
        for (int f = 0; f < frames; f++) {
            sequence += random.nextDouble() < 0.03 ? 2 : 1;
            if (random.nextDouble() < spawnPerFrame) {
                Mover m = new Mover();
                m.x = 100 + random.nextDouble() * 1700;
                m.y = 100 + random.nextDouble() * 880;
                m.vx = random.nextDouble() * 12 - 6;
                m.vy = random.nextDouble() * 6 - 3;
                m.size = 40 + random.nextDouble() * 80;
                m.framesLeft = 5 + random.nextInt(56);
                movers.add(m);
            }
            List<Detection> dets = new ArrayList<>();
            for (Mover m : movers) {
                m.x += m.vx;
                m.y += m.vy;
                m.framesLeft--;
                if (m.hiddenFor > 0) {
                    m.hiddenFor--;
                    continue;
                }
                if (random.nextDouble() < 0.02) {
                    m.hiddenFor = 1 + random.nextInt(5);
                }
                double jx = random.nextDouble() * 2 - 1;
                double jy = random.nextDouble() * 2 - 1;
                float quality = (float) random.nextDouble();
                float score = (float) (0.4 + random.nextDouble() * 0.6);
                float h = (float) (m.size / 2);
                dets.add(
                        new Detection(
                                (float) (m.x + jx) - h,
                                (float) (m.y + jy) - h,
                                (float) (m.x + jx) + h,
                                (float) (m.y + jy) + h,
                                score,
                                quality,
                                quality > 0.3f));
            }
            movers.removeIf(m -> m.framesLeft <= 0);
            if (random.nextDouble() < 0.2) {
                float x = (float) (random.nextDouble() * 1800);
                float y = (float) (random.nextDouble() * 1000);
                dets.add(new Detection(x, y, x + 50, y + 50, 0.35f, 0.1f, false));
            }
            out.add(new Frame(sequence, dets));
        }
        return out;
    }
}
