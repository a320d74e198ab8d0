package org.latentlab.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How long each measurement warms up and how its steady state is sampled. A step is one
 * gradient step (or one encoder pass). The warm-up lasts until both of its limits are reached;
 * then come {@code windows} consecutive windows, each closed at the first step end at which both
 * of its limits are reached. Samples per second of a window = samples processed in it / its
 * wall time; the result is the median over the windows.
 *
 * @param warmupSeconds wall time discarded first (graph preparation, JIT, allocator growth)
 * @param warmupSteps   steps discarded first, at least
 * @param windowSeconds wall time of each timed window, at least
 * @param windowSteps   steps in each timed window, at least
 * @param windows       number of timed windows (the median of their rates is reported)
 */
public record TimingPlan(double warmupSeconds, int warmupSteps, double windowSeconds, int windowSteps, int windows) {

    public TimingPlan {
        if (!(warmupSeconds >= 0) || !(windowSeconds > 0) || warmupSteps < 0 || windowSteps < 1 || windows < 1) {
            throw new IllegalArgumentException("bad timing plan: warm-up " + warmupSeconds + " s / " + warmupSteps
                    + " steps, windows " + windows + " x " + windowSeconds + " s / " + windowSteps + " steps");
        }
    }

    /** The default: 15 s and 20 steps of warm-up, then 5 windows of at least 10 s and 5 steps. */
    public static TimingPlan full() {
        return new TimingPlan(15, 20, 10, 5, 5);
    }

    /** {@code --quick}, for smoke tests: 2 s and 3 steps of warm-up, 3 windows of 1 s and 2 steps. */
    public static TimingPlan quick() {
        return new TimingPlan(2, 3, 1, 2, 3);
    }

    long warmupNanos() {
        return (long) (warmupSeconds * 1e9);
    }

    long windowNanos() {
        return (long) (windowSeconds * 1e9);
    }

    /** The plan as JSON-ready key-value pairs. */
    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("warmup_seconds", warmupSeconds);
        m.put("warmup_steps", warmupSteps);
        m.put("window_seconds", windowSeconds);
        m.put("window_steps", windowSteps);
        m.put("windows", windows);
        return m;
    }
}
