package org.latentlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ProcInfoTest {
    @Test
    void eachCpuModelAndVectorSetGetsItsOwnFolderName() {
        assertEquals("amd-epyc-avx-512", ProcInfo.machineSlug("AMD EPYC", "AVX-512"));
        assertEquals("amd-epyc-avx2", ProcInfo.machineSlug("AMD EPYC", "AVX2"));
        assertEquals("intel-xeon-processor-avx-512", ProcInfo.machineSlug("Intel(R) Xeon(R) Processor", "AVX-512"));
        assertEquals(
                "intel-xeon-e5-2680-v4-avx2",
                ProcInfo.machineSlug("Intel(R) Xeon(R) CPU E5-2680 v4 @ 2.40GHz", "AVX2"));
        assertEquals("unknown-cpu", ProcInfo.machineSlug("", ""));
    }

    @Test
    void theWidestVectorSetIsReadFromTheFlags() {
        assertEquals(
                "AVX-512",
                ProcInfo.vectorExtensions(
                        "model name : x\nflags : fpu avx avx2 fma avx512f avx512cd avx512bw avx512dq avx512vl\n"));
        assertEquals("AVX2", ProcInfo.vectorExtensions("flags : fpu avx avx2 fma avx512f\n"));
        assertEquals("AVX", ProcInfo.vectorExtensions("flags : fpu sse2 avx\n"));
        assertEquals("SSE", ProcInfo.vectorExtensions("flags : fpu sse2\n"));
    }
}
