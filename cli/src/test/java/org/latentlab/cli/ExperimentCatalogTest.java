package org.latentlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Experiments are found through ServiceLoader, by name, and any Experiment class by its fully qualified name. */
class ExperimentCatalogTest {

    @Test
    void theShippedExperimentsAreFoundThroughServiceLoaderInTheirListedOrder() {
        assertEquals(
                List.of("bottleneck-sweep", "beta-sweep", "smoke-sweep"),
                List.copyOf(ExperimentCatalog.known().keySet()));
        assertEquals(
                "org.latentlab.experiments.BetaSweep",
                ExperimentCatalog.get("beta-sweep").getClass().getName());
    }

    @Test
    void anUnlistedClassRunsByItsFullyQualifiedName() {
        assertInstanceOf(TinyVaeSweep.class, ExperimentCatalog.get(TinyVaeSweep.class.getName()));
    }

    @Test
    void unknownNamesAndNonExperimentsAreErrorsNamingTheKnownOnes() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ExperimentCatalog.get("betta-sweep"));
        assertTrue(e.getMessage().contains("unknown experiment 'betta-sweep'"), e.getMessage());
        assertTrue(e.getMessage().contains("bottleneck-sweep, beta-sweep, smoke-sweep"), e.getMessage());
        IllegalArgumentException notOne =
                assertThrows(IllegalArgumentException.class, () -> ExperimentCatalog.get("java.lang.String"));
        assertEquals("java.lang.String is not an Experiment", notOne.getMessage());
    }
}
