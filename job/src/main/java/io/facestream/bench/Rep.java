package io.facestream.bench;

/**
 * One repetition of {@code bench pipeline}: the model-compute bound, the seed-style loop and the
 * job, measured back to back on the same frames, so that their ratios compare like with like.
 *
 * @param boundFps frames/s of the model-compute bound
 * @param seedFps frames/s of the seed-style loop
 * @param jobFps frames/s of the job at full speed
 * @param jobFacesPerSecond faces/s of the job at full speed
 * @param pacedFps the fixed input rate of the latency run (a share of {@code jobFps})
 * @param p50Ms median frame → identity latency at {@code pacedFps}
 * @param p99Ms 99th percentile of the same
 * @param deadLetters dead letters of both job runs (the bench input has none: nonzero is a fault)
 * @param boundCores cores the bound kept busy
 * @param jobCores cores the job kept busy
 * @param boundCpuMs CPU ms per frame of the bound (this JVM's CPU time ÷ frames)
 * @param seedCpuMs CPU ms per frame of the seed-style loop
 * @param jobCpuMs CPU ms per frame of the job at full speed
 */
public record Rep(
        double boundFps,
        double seedFps,
        double jobFps,
        double jobFacesPerSecond,
        double pacedFps,
        double p50Ms,
        double p99Ms,
        long deadLetters,
        double boundCores,
        double jobCores,
        double boundCpuMs,
        double seedCpuMs,
        double jobCpuMs) {
    public double jobPerBound() {
        return jobFps / boundFps;
    }

    public double jobPerSeed() {
        return jobFps / seedFps;
    }
}
