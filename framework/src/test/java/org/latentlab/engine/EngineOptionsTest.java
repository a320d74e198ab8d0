package org.latentlab.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EngineOptionsTest {

    @Test
    void unsetVariablesGiveTheDefaults() {
        EngineOptions o = EngineOptions.fromEnvironment(Map.of());
        assertEquals(EngineOptions.defaults(), o);
        assertEquals(TrainingEngine.PLANNED, o.engine());
        assertTrue(o.javaKernels());
        assertEquals(EngineOptions.OpThreads.TIMED, o.opThreads());
        assertEquals("timed", o.opThreads().setting());
        assertFalse(o.opTimes());
        assertNull(o.openblasCoreType());
        assertFalse(o.smallProductsInBlocks());
    }

    @Test
    void everyVariableIsRead() {
        EngineOptions o = EngineOptions.fromEnvironment(Map.of(
                "LATENTLAB_ENGINE",
                " SameDiff ",
                "LATENTLAB_JAVA_KERNELS",
                "0",
                "LATENTLAB_OP_THREADS",
                "1",
                "LATENTLAB_OP_TIMES",
                "1",
                "OPENBLAS_CORETYPE",
                "SkylakeX"));
        assertEquals(TrainingEngine.SAMEDIFF, o.engine());
        assertFalse(o.javaKernels());
        assertEquals(EngineOptions.OpThreads.ONE, o.opThreads());
        assertTrue(o.opTimes());
        assertEquals("SkylakeX", o.openblasCoreType());
        assertTrue(o.smallProductsInBlocks());
        assertEquals(
                EngineOptions.OpThreads.CONFIGURED,
                EngineOptions.fromEnvironment(Map.of("LATENTLAB_OP_THREADS", "0"))
                        .opThreads());
    }

    @Test
    void onlyTheDocumentedValuesSwitch() {
        EngineOptions o = EngineOptions.fromEnvironment(Map.of(
                "LATENTLAB_ENGINE",
                " ",
                "LATENTLAB_JAVA_KERNELS",
                "1",
                "LATENTLAB_OP_THREADS",
                "",
                "LATENTLAB_OP_TIMES",
                "yes",
                "OPENBLAS_CORETYPE",
                "Zen"));
        assertEquals(TrainingEngine.PLANNED, o.engine());
        assertTrue(o.javaKernels());
        assertEquals(EngineOptions.OpThreads.TIMED, o.opThreads());
        assertFalse(o.opTimes());
        assertFalse(o.smallProductsInBlocks(), "AVX2 kernels: products stay whole");
    }

    @Test
    void aBadValueIsAnErrorNamingTheVariable() {
        IllegalArgumentException threads = assertThrows(
                IllegalArgumentException.class,
                () -> EngineOptions.fromEnvironment(Map.of("LATENTLAB_OP_THREADS", "2")));
        assertTrue(
                threads.getMessage().contains("LATENTLAB_OP_THREADS")
                        && threads.getMessage().contains("'2'"),
                threads.getMessage());
        IllegalArgumentException engine = assertThrows(
                IllegalArgumentException.class,
                () -> EngineOptions.fromEnvironment(Map.of("LATENTLAB_ENGINE", "fast")));
        assertTrue(
                engine.getMessage().contains("LATENTLAB_ENGINE")
                        && engine.getMessage().contains("fast"),
                engine.getMessage());
    }

    @Test
    void theBuilderAndWithersChangeOnlyWhatTheyName() {
        EngineOptions d = EngineOptions.defaults();
        EngineOptions o = d.toBuilder()
                .javaKernels(false)
                .opTimes(true)
                .openblasCoreType("Cooperlake")
                .build();
        assertEquals(
                new EngineOptions(TrainingEngine.PLANNED, false, EngineOptions.OpThreads.TIMED, true, "Cooperlake"), o);
        assertEquals(
                TrainingEngine.SAMEDIFF, o.withEngine(TrainingEngine.SAMEDIFF).engine());
        assertEquals(o.toBuilder().engine(TrainingEngine.SAMEDIFF).build(), o.withEngine(TrainingEngine.SAMEDIFF));
        assertEquals(
                EngineOptions.OpThreads.ONE,
                d.withOpThreads(EngineOptions.OpThreads.ONE).opThreads());
        assertEquals(d, EngineOptions.defaults(), "defaults are not changed by a builder");
        assertThrows(
                NullPointerException.class, () -> d.toBuilder().engine(null).build());
    }

    @Test
    void theCurrentOptionsAreReadOnce() {
        assertSame(EngineOptions.current(), EngineOptions.current());
        assertEquals(EngineOptions.fromEnvironment(), EngineOptions.current());
    }

    @Test
    void javaConvolutionsAreOnUnlessTurnedOffAndBadValuesNameTheVariable() {
        assertEquals(EngineOptions.JavaConvolutions.POOL, EngineOptions.JavaConvolutions.parse(null));
        assertEquals(EngineOptions.JavaConvolutions.POOL, EngineOptions.JavaConvolutions.parse(""));
        assertEquals(EngineOptions.JavaConvolutions.ONE_THREAD, EngineOptions.JavaConvolutions.parse("1"));
        assertEquals(EngineOptions.JavaConvolutions.OFF, EngineOptions.JavaConvolutions.parse("0"));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> EngineOptions.JavaConvolutions.parse("yes"));
        assertTrue(e.getMessage().startsWith("LATENTLAB_JAVA_CONV='yes'"), e.getMessage());
    }
}
