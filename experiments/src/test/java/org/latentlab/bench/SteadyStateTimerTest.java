package org.latentlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SteadyStateTimerTest {
    private static final long S = 1_000_000_000L;

    @Test
    void warmUpIsDiscardedAndEachWindowIsTimedBetweenStepEnds() {
        // warm-up: 1 s and 2 steps; windows of 2 s and 1 step, 3 of them
        SteadyStateTimer t = new SteadyStateTimer(new TimingPlan(1, 2, 2, 1, 3));
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
    }

    @Test
    void anInterruptionDiscardsTheWindowInProgressAndTheGapAfterIt() {
        SteadyStateTimer t = new SteadyStateTimer(new TimingPlan(0, 1, 1, 1, 2));
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
    void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertEquals(2.5, SteadyStateTimer.median(List.of(4.0, 1.0, 3.0, 2.0)));
        assertTrue(Double.isNaN(SteadyStateTimer.median(List.of())));
    }
}
