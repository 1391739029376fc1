package io.facestream.track;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbedScheduleTest {
    private static final ScheduleSettings CAP_16 = new ScheduleSettings(false, 16, 1.25f);

    @Test
    void embedsAtDoublingIntervalsUpToTheCap() {
        EmbedSchedule s = new EmbedSchedule();
        List<Long> embedded = new ArrayList<>();
        for (long seq = 100; seq < 200; seq++) {
            if (s.decide(CAP_16, seq, 0.5f, true)) {
                embedded.add(seq - 100);
            }
        }
        // Intervals 1, 2, 4, 8, 16, 16, 16 …
        assertThat(embedded).startsWith(0L, 1L, 3L, 7L, 15L, 31L, 47L, 63L, 79L, 95L);
        assertThat(embedded).hasSize(10);
    }

    @Test
    void embedsOutOfTurnWhenAClearlyBetterFaceArrives() {
        EmbedSchedule s = new EmbedSchedule();
        assertThat(s.decide(CAP_16, 0, 0.4f, true)).isTrue();
        assertThat(s.decide(CAP_16, 1, 0.4f, true)).isTrue(); // interval 1
        // Next due at 3; at 2 a face 1.25x better than 0.4 is embedded out of turn.
        assertThat(s.decide(CAP_16, 2, 0.51f, true)).isTrue();
        assertThat(s.bestQuality()).isEqualTo(0.51f);
        // The wait restarts from the better face, the interval does not grow.
        assertThat(s.interval()).isEqualTo(2);
        assertThat(s.decide(CAP_16, 3, 0.5f, true)).isFalse();
        assertThat(s.decide(CAP_16, 4, 0.5f, true)).isTrue();
        assertThat(s.interval()).isEqualTo(4);
        // Better, but not by the factor: 0.63 <= 0.51 x 1.25.
        assertThat(s.decide(CAP_16, 5, 0.63f, true)).isFalse();
        assertThat(s.decide(CAP_16, 6, 0.64f, true)).isTrue();
    }

    @Test
    void neverSchedulesAFaceThatFailsTheGate() {
        EmbedSchedule s = new EmbedSchedule();
        assertThat(s.decide(CAP_16, 0, 0.9f, false)).isFalse();
        assertThat(s.decide(CAP_16, 1, 0.9f, false)).isFalse();
        // The first passing face is the track's first embedding.
        assertThat(s.decide(CAP_16, 2, 0.3f, true)).isTrue();
        assertThat(s.decide(CAP_16, 3, 1.0f, false)).isFalse();
        assertThat(s.decide(CAP_16, 4, 0.3f, true)).isTrue();
    }

    @Test
    void everyFrameEmbedsEverythingGateOrNot() {
        ScheduleSettings every = new ScheduleSettings(true, 16, 1.25f);
        EmbedSchedule s = new EmbedSchedule();
        for (long seq = 0; seq < 10; seq++) {
            assertThat(s.decide(every, seq, 0.1f, seq % 2 == 0)).isTrue();
        }
    }

    @Test
    void countsIntervalsInSequenceNumbersAcrossGaps() {
        EmbedSchedule s = new EmbedSchedule();
        assertThat(s.decide(CAP_16, 0, 0.5f, true)).isTrue();
        assertThat(s.decide(CAP_16, 1, 0.5f, true)).isTrue(); // next interval 2
        assertThat(s.decide(CAP_16, 10, 0.5f, true)).isTrue(); // 9 frames later, overdue
        assertThat(s.decide(CAP_16, 13, 0.5f, true)).isFalse(); // interval now 4
        assertThat(s.decide(CAP_16, 14, 0.5f, true)).isTrue();
    }
}
