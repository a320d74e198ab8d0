package org.latentlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SteadyStateTimerTest {
    private static final long S = 1_000_000_000L;

    @Test
    void warmUpIsDiscardedAndEachWindowIsTimedBetweenStepEnds() {
        // warm-up: 1 s and 2 steps; windows of 2 s and 1 step, 3 of them. The fake process uses
        // 1.5 CPU seconds between readings of its CPU time, the machine 2 s between readings of its
        // busy time, and the RSS grows by 10 KiB per reading.
        SteadyStateTimer t = new SteadyStateTimer(new TimingPlan(1, 2, 2, 1, 3), new FakeProbe(3 * S / 2, 2 * S));
        t.start(0);
        assertFalse(t.stepDone(5 * S, 100)); // a slow first step (graph preparation): warm-up
        assertFalse(t.stepDone(6 * S, 100)); // second step: warm-up ends here, the first window starts
        assertFalse(t.stepDone(7 * S, 100));
        assertFalse(t.stepDone(8 * S, 100)); // window 1: 200 samples in 2 s
        assertFalse(t.stepDone(12 * S, 100)); // window 2: 100 samples in 4 s
        assertFalse(t.stepDone(13 * S, 100));
        assertTrue(t.stepDone(14 * S, 300)); // window 3: 400 samples in 2 s
        assertEquals(List.of(100.0, 25.0, 200.0), t.rates());
        assertEquals(100.0, t.median());
        assertEquals(2, t.warmupSteps());
        assertEquals(5, t.timedSteps());
        assertEquals(700, t.timedSamples());
        assertEquals(8.0, t.timedSeconds(), 1e-9);
        // 3 windows, each 1.5 CPU seconds between its first and last probe reading: 4.5 / 8
        assertEquals(4.5 / 8, t.coresBusy(), 1e-9);
        assertEquals((6.0 - 4.5) / 8, t.otherCoresBusy(), 1e-9);
        assertEquals(List.of(1010L, 1020L, 1030L), t.rssAtWindowEnds());
    }

    @Test
    void anInterruptionDiscardsTheWindowInProgressAndTheGapAfterIt() {
        SteadyStateTimer t = new SteadyStateTimer(new TimingPlan(0, 1, 1, 1, 2), new FakeProbe(0, 0));
        t.start(0);
        t.stepDone(1 * S, 10); // warm-up
        t.stepDone(3 * S, 10); // window 1: 10 samples in 2 s
        t.stepDone(3 * S + S / 2, 10); // half a window...
        t.interrupt(); // ...discarded: an evaluation pass runs now
        t.stepDone(60 * S, 10); // the step after the evaluation only starts the next window
        assertTrue(t.stepDone(61 * S, 10)); // window 2: 10 samples in 1 s
        assertEquals(List.of(5.0, 10.0), t.rates());
    }

    @Test
    void aPauseLeavesTheGapOutOfTheWindowInProgress() {
        // warm-up 0 s / 1 step, then 1 window of at least 2 s and 2 steps
        SteadyStateTimer t = new SteadyStateTimer(new TimingPlan(0, 1, 2, 2, 1), new FakeProbe(0, 0));
        t.start(0);
        t.stepDone(1 * S, 10); // warm-up; the window starts here
        assertFalse(t.stepDone(2 * S, 10)); // 1 s into the window
        t.pause(2 * S); // an evaluation pass runs for 50 s...
        t.resume(52 * S);
        assertTrue(t.stepDone(53 * S, 10)); // ...and is left out: 20 samples in 2 s of work
        assertEquals(List.of(10.0), t.rates());
        t.resume(99 * S); // a resume without a pause changes nothing
        assertEquals(List.of(10.0), t.rates());
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertEquals(2.5, SteadyStateTimer.median(List.of(4.0, 1.0, 3.0, 2.0)));
        assertTrue(Double.isNaN(SteadyStateTimer.median(List.of())));
    }

    /** Readings that advance by fixed amounts per call. */
    private static final class FakeProbe implements ProcessProbe {
        private final long cpuStep;
        private final long machineStep;
        private long cpu;
        private long machine;
        private long rss = 1000;

        FakeProbe(long cpuStep, long machineStep) {
            this.cpuStep = cpuStep;
            this.machineStep = machineStep;
        }

        @Override
        public long cpuNanos() {
            return cpu += cpuStep;
        }

        @Override
        public long rssKib() {
            return rss += 10;
        }

        @Override
        public long machineBusyNanos() {
            return machine += machineStep;
        }
    }

    @Test
    void machineBusyTimeIsReadFromProcStat(@TempDir Path dir) throws Exception {
        Path stat = dir.resolve("stat");
        // user nice system idle iowait irq softirq steal guest guest_nice
        Files.writeString(stat, "cpu  100 20 30 5000 70 4 5 6 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\n");
        assertEquals((100 + 20 + 30 + 4 + 5 + 6) * 10_000_000L, ProcInfo.machineBusyNanos(stat));
    }
}
