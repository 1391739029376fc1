package io.facestream.flink.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.facestream.flink.source.VideoSourceOptions.WhenBehind;
import io.facestream.schema.Frame;
import io.facestream.schema.internal.SourceRecord;
import io.facestream.testing.RtspCamera;
import io.facestream.testing.TestData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.core.io.InputStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reader on a real live camera: the shared GStreamer RTSP server sending the sample clip at
 * 29.97 fps. A consumer that takes a fixed time per frame stands for a job slower than the camera
 * (the job-level run is in the job module). Lags are wall clock at consumption − frame timestamp
 * (the capture time).
 */
class LiveCameraITCase {
    /** A consumer at about 16 fps: slower than the camera's 30. */
    private static final long SLOW_MS = 60;

    private RtspCamera camera;

    @BeforeEach
    void startCamera() throws Exception {
        camera = TestData.hamiltonCamera();
    }

    @AfterEach
    void stopCamera() throws Exception {
        camera.close();
    }

    private VideoSplit cam() {
        return VideoSplit.of(camera.uri(), "door", StreamKind.LIVE, 0, VideoSplit.TO_END);
    }

    @Test
    void dropsStaleFramesSoTheLagStaysBoundedWhenTheJobIsSlowerThanTheCamera() throws Exception {
        TestReaderContext ctx = new TestReaderContext();
        Consumed run;
        try (VideoSourceReader reader =
                VideoSourceReaderTest.reader(ctx, VideoSourceOptions.defaults(), cam())) {
            run = Consumed.of(reader, Duration.ofSeconds(10), SLOW_MS, () -> false);
        }
        long dropped = ctx.counter("camera", "door", CameraMetrics.FRAMES_DROPPED);
        long read = ctx.counter("camera", "door", CameraMetrics.FRAMES_READ);
        System.out.printf(
                "drop policy: read %d, emitted %d, dropped %d, lag max %d ms, last 3 s max %d ms%n",
                read, run.frames.size(), dropped, run.maxLag(0), run.maxLag(7_000));
        assertThat(dropped).as("frames dropped to keep up").isGreaterThan(20);
        assertThat(read).as("the camera is read at its own pace").isGreaterThan(250);
        assertThat(run.frames.size()).isGreaterThan(100);
        // max-lag 500 ms at reading, plus one fetch queued and one frame being consumed
        assertThat(run.maxLag(3_000)).as("lag after the first 3 s").isLessThan(1_000);
        assertThat((long) ctx.gauge("camera", "door", CameraMetrics.LAG_MS)).isBetween(0L, 1_000L);
        assertThat(ctx.counter("camera", "door", CameraMetrics.FRAMES_EMITTED))
                .isEqualTo(run.frames.size());
        assertLinkedToThePreviousFrameEmitted(run.frames);
    }

    @Test
    void withoutDropsTheLagGrowsAndIsShownHonestly() throws Exception {
        TestReaderContext ctx = new TestReaderContext();
        VideoSourceOptions wait =
                VideoSourceOptions.builder()
                        .whenBehind(WhenBehind.WAIT, Duration.ofMillis(500))
                        .build();
        Consumed run;
        try (VideoSourceReader reader = VideoSourceReaderTest.reader(ctx, wait, cam())) {
            run = Consumed.of(reader, Duration.ofSeconds(8), SLOW_MS, () -> false);
        }
        System.out.printf("wait policy: lag max %d ms%n", run.maxLag(0));
        assertThat(ctx.counter("camera", "door", CameraMetrics.FRAMES_DROPPED)).isZero();
        // 14 frames/s more than consumed pile up: over 3 s behind after 8 s
        assertThat(run.maxLag(6_000)).as("capture time, not read time").isGreaterThan(2_500);
    }

    @Test
    void dropsNothingWhenMaxFpsIsWithinTheJobsPace() throws Exception {
        TestReaderContext ctx = new TestReaderContext();
        VideoSourceOptions fiveFps = VideoSourceOptions.builder().maxFps(5).build();
        Consumed run;
        try (VideoSourceReader reader = VideoSourceReaderTest.reader(ctx, fiveFps, cam())) {
            run = new Consumed(SLOW_MS);
            run.pollUntil(reader, Duration.ofSeconds(30), r -> r.size() > 0); // connected
            run.pollUntil(reader, Duration.ofSeconds(8), r -> false);
        }
        System.out.printf(
                "max-fps 5: read %d, emitted %d, lag max %d ms%n",
                ctx.counter("camera", "door", CameraMetrics.FRAMES_READ),
                run.frames.size(),
                run.maxLag(0));
        assertThat(ctx.counter("camera", "door", CameraMetrics.FRAMES_DROPPED)).isZero();
        assertThat(run.frames.size()).isGreaterThan(30);
        // the sampler keeps the first frame of each 200 ms slot of capture time
        double seconds =
                (run.frames.get(run.size() - 1).getTimestamp().toEpochMilli()
                                - run.frames.get(0).getTimestamp().toEpochMilli())
                        / 1000.0;
        assertThat((run.size() - 1) / seconds).as("frames per second").isBetween(4.0, 6.0);
        assertThat(run.maxLag(0)).isLessThan(1_000);
    }

    @Test
    void reportsALostCameraWithinTwoSecondsAndReadsItAgainWithinFiveOfItsReturn() throws Exception {
        TestReaderContext ctx = new TestReaderContext();
        long killedAt;
        long lostSeenAt = 0;
        long backAt;
        Consumed run = new Consumed(0); // one output: the reader keeps the first one per split
        int before;
        try (VideoSourceReader reader =
                VideoSourceReaderTest.reader(ctx, VideoSourceOptions.defaults(), cam())) {
            run.pollUntil(reader, Duration.ofSeconds(30), r -> r.size() >= 30);
            assertThat(run.size()).as("frames before the camera is killed").isEqualTo(30);
            camera.stop();
            killedAt = System.currentTimeMillis();
            before = run.size();
            run.pollUntil(
                    reader,
                    Duration.ofSeconds(5),
                    r -> (int) ctx.gauge("camera", "door", CameraMetrics.CONNECTED) == 0);
            lostSeenAt = System.currentTimeMillis();
            run.pollUntil(reader, Duration.ofMillis(killedAt + 15_000 - lostSeenAt), r -> false);
            before = run.size();
            camera.start();
            backAt = System.currentTimeMillis();
            int mark = before;
            run.pollUntil(reader, Duration.ofSeconds(20), r -> r.size() > mark);
        }
        long lostAfter = lostSeenAt - killedAt;
        long firstFrameAfter = run.size() == before ? -1 : run.arrivals.get(before) - backAt;
        System.out.printf(
                "camera killed: reported lost after %d ms; back: first frame after %d ms%n",
                lostAfter, firstFrameAfter);
        assertThat(lostAfter).as("reported lost (connected gauge 0) after").isLessThan(2_000);
        assertThat(ctx.counter("camera", "door", CameraMetrics.DISCONNECTS)).isPositive();
        assertThat(run.size()).as("frames after the camera's return").isGreaterThan(before);
        assertThat(firstFrameAfter).isBetween(0L, 5_000L);
        assertThat((int) ctx.gauge("camera", "door", CameraMetrics.GIVEN_UP)).isZero();
    }

    @Test
    void playsAFileAtItsOwnFrameRateWhenPaced() throws Exception {
        TestReaderContext ctx = new TestReaderContext();
        VideoSourceOptions paced =
                VideoSourceOptions.builder().pace(VideoSourceOptions.Pace.REALTIME).build();
        VideoSplit firstThreeSeconds =
                VideoSourceReaderTest.file(Videos.hamilton(), "hall", 0, 3_000);
        List<SourceRecord> unpaced =
                VideoSourceReaderTest.readAll(VideoSourceOptions.defaults(), firstThreeSeconds);
        long mediaSpan =
                unpaced.get(unpaced.size() - 1).getFrame().getTimestamp().toEpochMilli()
                        - unpaced.get(0).getFrame().getTimestamp().toEpochMilli();
        long t0 = System.currentTimeMillis();
        List<SourceRecord> records;
        try (VideoSourceReader reader =
                VideoSourceReaderTest.reader(ctx, paced, firstThreeSeconds)) {
            records = new ReaderRun().pollUntil(reader, Integer.MAX_VALUE).records;
        }
        long tookMs = System.currentTimeMillis() - t0;
        List<Long> times =
                records.stream().map(r -> r.getFrame().getTimestamp().toEpochMilli()).toList();
        long dropped = ctx.counter("camera", "hall", CameraMetrics.FRAMES_DROPPED);
        System.out.printf(
                "paced 3 s of file: %d frames (%d dropped) in %d ms, stamped over %d ms%n",
                records.size(), dropped, tookMs, times.get(times.size() - 1) - times.get(0));
        // the clip starts at 0.85 s: 65 frames before 3 s. One read late counts as dropped.
        int all = unpaced.size();
        assertThat(ctx.counter("camera", "hall", CameraMetrics.FRAMES_READ)).isEqualTo(all);
        assertThat(records.size() + dropped).isEqualTo(all);
        assertThat(records.size()).isGreaterThan(all / 2);
        assertThat(tookMs)
                .as("played in real time, not decoded at once")
                .isBetween(mediaSpan - 50, mediaSpan + 5_000);
        assertThat(times.get(times.size() - 1) - times.get(0))
                .as("stamped at the media times, on the wall clock")
                .isBetween(mediaSpan - 1_000, mediaSpan + 50);
        assertThat(times.get(0)).as("stamped on the wall clock").isGreaterThanOrEqualTo(t0);
    }

    private static void assertLinkedToThePreviousFrameEmitted(List<Frame> frames) {
        for (int i = 1; i < frames.size(); i++) {
            assertThat(frames.get(i).getPreviousSequence())
                    .isEqualTo(frames.get(i - 1).getSequence());
        }
    }

    /** Polls a reader for a while like a source task whose downstream takes a fixed time. */
    static final class Consumed implements ReaderOutput<SourceRecord> {
        final List<Frame> frames = new ArrayList<>();
        final List<Long> arrivals = new ArrayList<>();
        private final long t0 = System.currentTimeMillis();
        private final long perFrameMs;

        Consumed(long perFrameMs) {
            this.perFrameMs = perFrameMs;
        }

        static Consumed of(
                VideoSourceReader reader, Duration time, long perFrameMs, BooleanSupplier each)
                throws Exception {
            Consumed run = new Consumed(perFrameMs);
            long end = System.currentTimeMillis() + time.toMillis();
            while (System.currentTimeMillis() < end) {
                each.getAsBoolean();
                InputStatus status = reader.pollNext(run);
                if (status == InputStatus.NOTHING_AVAILABLE) {
                    try {
                        reader.isAvailable().get(50, TimeUnit.MILLISECONDS);
                    } catch (java.util.concurrent.TimeoutException e) {
                        // look at the clock and the callback again
                    }
                }
            }
            return run;
        }

        /** Polls until {@code done} holds (checked between polls) or {@code limit} passed. */
        void pollUntil(
                VideoSourceReader reader,
                Duration limit,
                java.util.function.Predicate<Consumed> done)
                throws Exception {
            long end = System.currentTimeMillis() + limit.toMillis();
            while (System.currentTimeMillis() < end && !doneSafely(done)) {
                if (reader.pollNext(this) == InputStatus.NOTHING_AVAILABLE) {
                    try {
                        reader.isAvailable().get(20, TimeUnit.MILLISECONDS);
                    } catch (java.util.concurrent.TimeoutException e) {
                        // look at the clock and the condition again
                    }
                }
            }
        }

        private boolean doneSafely(java.util.function.Predicate<Consumed> done) {
            try {
                return done.test(this);
            } catch (java.util.NoSuchElementException e) {
                return false; // a metric not registered yet
            }
        }

        int size() {
            return frames.size();
        }

        /** The largest lag of the frames consumed {@code afterMs} or later into the run. */
        long maxLag(long afterMs) {
            long max = -1;
            for (int i = 0; i < frames.size(); i++) {
                if (arrivals.get(i) - t0 >= afterMs) {
                    max =
                            Math.max(
                                    max,
                                    arrivals.get(i) - frames.get(i).getTimestamp().toEpochMilli());
                }
            }
            return max;
        }

        @Override
        public void collect(SourceRecord record) {
            collect(record, Long.MIN_VALUE);
        }

        @Override
        public void collect(SourceRecord record, long timestamp) {
            if (record.getFrame() == null) {
                return;
            }
            frames.add(record.getFrame());
            arrivals.add(System.currentTimeMillis());
            if (perFrameMs > 0) {
                try {
                    Thread.sleep(perFrameMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void emitWatermark(Watermark watermark) {}

        @Override
        public void markIdle() {}

        @Override
        public void markActive() {}

        @Override
        public SourceOutput<SourceRecord> createOutputForSplit(String splitId) {
            return this;
        }

        @Override
        public void releaseOutputForSplit(String splitId) {}
    }
}
