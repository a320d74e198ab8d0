package org.latentlab.io;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** The pause setting's syntax; pausing itself is tested end to end by TrainKillResumeTest (experiments). */
class FaultPointTest {
    @Test
    void settingIsNameAndOptionalOccurrence() {
        assertArrayEquals(new Object[] {null, 0}, FaultPoint.parse(null));
        assertArrayEquals(new Object[] {null, 0}, FaultPoint.parse(" "));
        assertArrayEquals(new Object[] {"checkpoint-write", 1}, FaultPoint.parse("checkpoint-write"));
        assertArrayEquals(new Object[] {"batch", 40}, FaultPoint.parse("Batch:40"));
        for (String bad : new String[] {"batch:0", "batch:x", "batch:-2"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FaultPoint.parse(bad));
            assertTrue(e.getMessage().contains(FaultPoint.ENV) && e.getMessage().contains(bad), e.getMessage());
        }
    }

    @Test
    void unsetInTestsSoReachingAPointReturns() {
        assertFalse(FaultPoint.armed(), "surefire must not run with " + FaultPoint.ENV + " set");
        FaultPoint.reach(FaultPoint.CHECKPOINT_WRITE, "nowhere");
    }
}
