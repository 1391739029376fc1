package io.facestream.flink.source;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Capture times from PTS and arrival: golden values on synthetic 30 fps timelines. */
class LiveClockTest {
    private static final long T0 = 1_800_000_000_000L;

    @Test
    void framesReadOnTimeAreCapturedWhenTheyArrive() {
        LiveClock clock = new LiveClock();
        for (int i = 0; i < 30; i++) {
            long pts = i * 33_333L;
            long arrival = T0 + i * 33 + (i % 3); // a little jitter
            assertThat(clock.captureMs(pts, arrival)).isBetween(arrival - 3, arrival);
        }
    }

    @Test
    void framesThatWaitedInTheSocketShowTheirAge() {
        LiveClock clock = new LiveClock();
        for (int i = 0; i < 30; i++) {
            clock.captureMs(i * 33_333L, T0 + i * 33);
        }
        // the job stalls for 2 s; the next frames are then read in a burst
        long readAt = T0 + 30 * 33 + 2_000;
        long capture = clock.captureMs(30 * 33_333L, readAt);
        assertThat(readAt - capture).isBetween(1_990L, 2_010L);
    }

    @Test
    void aPtsJumpReanchors() {
        LiveClock clock = new LiveClock();
        clock.captureMs(5_000_000L, T0);
        // the camera restarted its clock: PTS back to 0
        assertThat(clock.captureMs(0, T0 + 100)).isEqualTo(T0 + 100);
        assertThat(clock.captureMs(33_333L, T0 + 133)).isEqualTo(T0 + 133);
    }

    @Test
    void aSlowCameraClockDoesNotMakeFramesLookOlderAndOlder() {
        LiveClock clock = new LiveClock();
        long lastLag = 0;
        // camera clock 200 ppm slow: an hour of frames arrive 720 ms later than its PTS says
        for (long s = 0; s <= 3_600; s++) {
            long pts = s * 1_000_000L;
            long arrival = T0 + s * 1_000 + Math.round(s * 0.2);
            lastLag = arrival - clock.captureMs(pts, arrival);
        }
        assertThat(lastLag).isLessThan(5);
    }

    @Test
    void aPacedFileIsDueAtItsMediaTimesFromItsFirstFrame() {
        LiveClock clock = new LiveClock();
        assertThat(clock.dueMs(852_000L, T0)).isEqualTo(T0);
        assertThat(clock.dueMs(885_367L, T0 + 5)).isEqualTo(T0 + 33);
        assertThat(clock.dueMs(3_852_000L, T0 + 10)).isEqualTo(T0 + 3_000);
    }

    @Test
    void withoutAPtsTheArrivalIsTheCaptureTime() {
        assertThat(new LiveClock().captureMs(-1, T0)).isEqualTo(T0);
    }
}
