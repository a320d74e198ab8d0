package org.latentlab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LrScheduleTest {

    @Test
    void burdaStagesLastThreeToTheIPassesOfTheirRunAndDivideTheRateByTenToTheOneSeventh() {
        long steps = LrSchedule.BURDA_EPOCHS; // one step per pass: stage i starts at step (3^i - 1) / 2
        int[] starts = {0, 1, 4, 13, 40, 121, 364, 1093};
        for (int i = 0; i < starts.length; i++) {
            double expected = 1e-3 * Math.pow(10, -i / 7.0);
            assertEquals(expected, LrSchedule.BURDA.valueAt(1e-3, starts[i], steps), 1e-15, "start of stage " + i);
            if (starts[i] > 0) {
                double before = 1e-3 * Math.pow(10, -(i - 1) / 7.0);
                assertEquals(before, LrSchedule.BURDA.valueAt(1e-3, starts[i] - 1, steps), 1e-15, "end of " + (i - 1));
            }
        }
        assertEquals(1e-4, LrSchedule.BURDA.valueAt(1e-3, steps - 1, steps), 1e-15, "the last stage is 10^-1 of it");
        assertEquals(1e-4, LrSchedule.BURDA.valueAt(1e-3, 10 * steps, steps), 1e-15, "after the run it stays");
    }

    @Test
    void aBurdaRunOfAnotherLengthKeepsTheStagesShares() {
        // 3280 * 100 steps: stage 4 starts at 40 / 3280 of the run
        long steps = LrSchedule.BURDA_EPOCHS * 100L;
        assertEquals(1e-3 * Math.pow(10, -3 / 7.0), LrSchedule.BURDA.valueAt(1e-3, 3999, steps), 1e-15);
        assertEquals(1e-3 * Math.pow(10, -4 / 7.0), LrSchedule.BURDA.valueAt(1e-3, 4000, steps), 1e-15);
    }

    @Test
    void cosineAndLinearEndAtZero() {
        assertEquals(0.5, LrSchedule.COSINE.valueAt(1, 50, 100), 1e-12);
        assertEquals(0, LrSchedule.COSINE.valueAt(1, 100, 100), 1e-12);
        assertEquals(0.25, LrSchedule.LINEAR.valueAt(1, 75, 100), 1e-12);
        assertEquals(2, LrSchedule.CONSTANT.valueAt(2, 75, 100), 0);
    }
}
