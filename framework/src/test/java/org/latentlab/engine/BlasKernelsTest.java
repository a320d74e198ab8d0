package org.latentlab.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The same cases as .ci/backend-check-test.sh checks for the launchers' shell rule. */
class BlasKernelsTest {

    private static Optional<String> core(String vendor, String flags) {
        return BlasKernels.suggestedCore(
                "processor\t: 0\nvendor_id\t: " + vendor + "\ncpu family\t: 6\nmodel\t\t: 207\n"
                        + "model name\t: Intel(R) Xeon(R) Processor\nflags\t\t: " + flags + "\n\nprocessor\t: 1\n");
    }

    @Test
    void avx512CpusGetSkylakeXKernels() {
        assertEquals(
                Optional.of("SkylakeX"),
                core(
                        "GenuineIntel",
                        "fpu sse2 avx avx2 fma avx512f avx512dq avx512cd avx512bw avx512vl avx512_bf16 avx512_fp16"));
    }

    @Test
    void avx2CpusGetHaswellOrZenKernels() {
        assertEquals(Optional.of("Haswell"), core("GenuineIntel", "fpu sse2 avx avx2 fma avx512f avx512cd avx512er"));
        assertEquals(Optional.of("Haswell"), core("GenuineIntel", "fpu sse2 avx avx2 fma"));
        assertEquals(Optional.of("Zen"), core("AuthenticAMD", "fpu sse2 avx avx2 fma"));
    }

    @Test
    void olderCpusAndOddInputGetNoSuggestion() {
        assertEquals(Optional.empty(), core("GenuineIntel", "fpu sse2 sse4_2 avx"));
        assertEquals(Optional.empty(), core("GenuineIntel", "avx2")); // no FMA
        assertEquals(Optional.empty(), BlasKernels.suggestedCore(""));
    }

    @Test
    void aCoreTypeOfOlderKernelsThanTheCpuHasIsRecognised() {
        // the development image exports OPENBLAS_CORETYPE=Haswell, also on CPUs with AVX-512
        assertEquals(true, BlasKernels.olderKernels("Haswell", "SkylakeX"));
        assertEquals(true, BlasKernels.olderKernels("Prescott", "Zen"));
        assertEquals(false, BlasKernels.olderKernels("Zen", "Haswell"));
        assertEquals(false, BlasKernels.olderKernels("skylakex", "SkylakeX"));
        assertEquals(false, BlasKernels.olderKernels("SkylakeX", "Zen"));
    }
}
