package org.latentlab.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns a stream of step ends into steady-state throughput, following a {@link TimingPlan}:
 * the warm-up is discarded, then each window's rate is measured between two step ends (so the
 * time between steps, e.g. the trainer's end-of-epoch evaluation, can be left out with
 * {@link #pause}/{@link #resume}, or the window discarded with {@link #interrupt()}). Not thread-safe; times are {@link System#nanoTime()} values.
 *
 * <p>A {@link ProcessProbe} is read at every window boundary: the process's CPU time (all
 * threads, user and system) gives the number of cores it kept busy during the windows, the
 * machine's busy time minus that the cores other processes took meanwhile, and the resident set
 * size shows whether memory grows while the work stays the same.
 */
final class SteadyStateTimer {
    private final TimingPlan plan;
    private final ProcessProbe probe;
    private long start = -1;
    private int warmupSteps;
    private boolean warm;
    private long windowStart = -1;
    private int windowSteps;
    private long windowSamples;
    private int timedSteps;
    private long timedSamples;
    private double timedSeconds;
    private final List<Double> rates = new ArrayList<>();
    private final List<Long> rssAtWindowEnds = new ArrayList<>();
    private long windowCpuStart;
    private long windowMachineStart;
    private long timedCpuNanos;
    private long timedMachineNanos;

    SteadyStateTimer(TimingPlan plan, ProcessProbe probe) {
        this.plan = plan;
        this.probe = probe;
    }

    /** Marks the start of the first step: the warm-up's wall time counts from here. */
    void start(long nanos) {
        start = nanos;
    }

    /**
     * Records that a step which processed {@code samples} examples ended at {@code nanos}.
     *
     * @return true once the last window is complete
     */
    boolean stepDone(long nanos, int samples) {
        if (start < 0) {
            start = nanos;
        }
        if (!warm) {
            warmupSteps++;
            if (warmupSteps >= plan.warmupSteps() && nanos - start >= plan.warmupNanos()) {
                warm = true;
                startWindow(nanos);
            }
            return done();
        }
        if (windowStart < 0) { // first step end after an interruption: the next window starts here
            startWindow(nanos);
            return done();
        }
        windowSteps++;
        windowSamples += samples;
        long elapsed = nanos - windowStart;
        if (windowSteps >= plan.windowSteps() && elapsed >= plan.windowNanos()) {
            double seconds = elapsed / 1e9;
            rates.add(windowSamples / seconds);
            timedSteps += windowSteps;
            timedSamples += windowSamples;
            timedSeconds += seconds;
            timedCpuNanos += probe.cpuNanos() - windowCpuStart;
            timedMachineNanos += probe.machineBusyNanos() - windowMachineStart;
            rssAtWindowEnds.add(probe.rssKib());
            startWindow(nanos);
        }
        return done();
    }

    private void startWindow(long nanos) {
        windowStart = nanos;
        windowSteps = 0;
        windowSamples = 0;
        windowCpuStart = probe.cpuNanos();
        windowMachineStart = probe.machineBusyNanos();
    }

    private long pausedAt = -1;
    private long pausedCpu;
    private long pausedMachine;

    /**
     * Stops the clock of the window in progress at {@code nanos} (the last step end): something
     * other than the measured work runs until {@link #resume} (the trainer's evaluation between
     * epochs). Its wall time, CPU time and the machine's busy time are left out of the window.
     */
    void pause(long nanos) {
        if (warm && windowStart >= 0 && pausedAt < 0) {
            pausedAt = nanos;
            pausedCpu = probe.cpuNanos();
            pausedMachine = probe.machineBusyNanos();
        }
    }

    /** Restarts the clock stopped by {@link #pause}; without a pause, does nothing. */
    void resume(long nanos) {
        if (pausedAt >= 0) {
            windowStart += nanos - pausedAt;
            windowCpuStart += probe.cpuNanos() - pausedCpu;
            windowMachineStart += probe.machineBusyNanos() - pausedMachine;
            pausedAt = -1;
        }
    }

    /**
     * Discards the window in progress: something other than the measured work is about to run
     * (the trainer's evaluation between epochs). The next window starts at the next step end.
     */
    void interrupt() {
        if (warm) {
            windowStart = -1;
            windowSteps = 0;
            windowSamples = 0;
        }
    }

    boolean done() {
        return rates.size() >= plan.windows();
    }

    /** Samples per second of each completed window, in order. */
    List<Double> rates() {
        return List.copyOf(rates);
    }

    /** Median of the window rates (mean of the middle two for an even count); NaN before the first window. */
    double median() {
        return median(rates);
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
    }

    int warmupSteps() {
        return warmupSteps;
    }

    int timedSteps() {
        return timedSteps;
    }

    long timedSamples() {
        return timedSamples;
    }

    double timedSeconds() {
        return timedSeconds;
    }

    /** CPU seconds used per wall second during the completed windows: the number of cores kept busy. */
    double coresBusy() {
        return timedSeconds > 0 ? timedCpuNanos / 1e9 / timedSeconds : Double.NaN;
    }

    /**
     * Cores that other processes kept busy during the completed windows: the machine's busy CPU
     * time minus this process's, per wall second (never below 0; /proc/stat counts in 10 ms steps).
     */
    double otherCoresBusy() {
        return timedSeconds > 0 ? Math.max(0, (timedMachineNanos - timedCpuNanos) / 1e9 / timedSeconds) : Double.NaN;
    }

    /** Resident set size at the end of each completed window, in KiB. */
    List<Long> rssAtWindowEnds() {
        return List.copyOf(rssAtWindowEnds);
    }

    @Override
    public String toString() {
        return "median " + median() + " of " + Arrays.toString(rates.toArray());
    }
}
