package io.facestream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The soak's verdicts, table and CSV from known series. */
class SoakReportTest {
    /** Nine samples 30 s apart; heap from {@code heap}, the rest flat. */
    private static List<SoakSample> samples(long... heap) {
        List<SoakSample> out = new ArrayList<>();
        for (int i = 0; i < heap.length; i++) {
            out.add(
                    new SoakSample(
                            30L * (i + 1),
                            heap[i],
                            i == 0 ? -1 : 20_480,
                            i == 0 ? -1 : 70_000,
                            i,
                            Map.of(
                                    "cam1",
                                    new SoakSample.Camera(
                                            900L * (i + 1), 60L * (i + 1), i, 300, 800),
                                    "cam2",
                                    new SoakSample.Camera(
                                            900L * (i + 1), 60L * (i + 1), 2L * i, 400, 900)),
                            120,
                            700,
                            2_000,
                            0));
        }
        return out;
    }

    @Test
    void flatSeriesAreFlatAndAClimbIsGrowingWithItsSlope() {
        List<String> flat = SoakReport.verdicts(samples(60, 45, 46, 45, 44, 45, 46, 45, 45), 10);
        assertThat(flat).hasSize(5).allSatisfy(v -> assertThat(v).contains("**flat**"));
        // the first sample (before any checkpoint: -1) is left out, not read as a size of -1 KB
        assertThat(flat.get(1)).contains("last third 20.0 KB vs second third 20.0 KB");

        List<String> leak = SoakReport.verdicts(samples(40, 50, 60, 70, 80, 90, 100, 110, 120), 10);
        assertThat(leak.get(0))
                .startsWith("- heap after GC: **GROWING**")
                .contains("slope +20.00 MB/min");
    }

    @Test
    void tableShowsEveryCamerasTotalsAndCsvEveryCamera() {
        List<SoakSample> s = samples(45, 45, 45, 45);
        String table = SoakReport.table(s, 20);
        assertThat(table.lines()).hasSize(2 + 4);
        assertThat(table)
                .contains("| 2.0 | 45 | 20 | 68 | 3 | 7200 | 480 | 9 | 0.40 | 120 | 700 | 2000 |");
        String cams = SoakReport.cameras(s.get(0), s.get(3));
        // rates between the first and the last sample: (3600 - 900) frames in 90 s
        assertThat(cams).contains("| cam1 | 3600 | 30.0 | 240 | 2.0 | 3 |");
        String csv = SoakReport.csv(s);
        assertThat(csv.lines().findFirst().orElseThrow())
                .endsWith(
                        "cam1_in,cam1_processed,cam1_dropped,cam1_lag_ms,cam2_in,cam2_processed,"
                                + "cam2_dropped,cam2_lag_ms");
        assertThat(csv.lines()).hasSize(5);
    }
}
