package org.latentlab.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BackendTest {

    @Test
    void anInitialisationInTheBackgroundLeavesTheCpuBackendToTheCaller() {
        assertFalse(Backend.cudaInBuild(), "the default build has no CUDA backend");
        Backend.initialiseInBackground();
        Backend.initialiseInBackground(); // a second call is harmless
        assertEquals("cpu", Backend.loaded());
        assertEquals("cpu", Backend.CPU.require());
        assertEquals("cpu", Backend.AUTO.require());
    }

    @Test
    void unknownNamesAreRejectedWithTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backend.parse("tpu"));
        assertEquals("unknown backend 'tpu'; expected auto, cpu or cuda", e.getMessage());
        assertEquals(Backend.CUDA, Backend.parse("cuda"));
    }
}
