package org.latentlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Experiments are found through ServiceLoader, by name, and any Experiment class by its fully qualified name. */
class ExperimentCatalogTest {

    @Test
    void theShippedExperimentsAreFoundThroughServiceLoaderInTheirListedOrder() throws IOException {
        List<String> listed;
        try (InputStream in = getClass().getResourceAsStream(SERVICES)) {
            listed = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .toList();
        }
        List<String> found = ExperimentCatalog.known().values().stream()
                .map(e -> e.getClass().getName())
                .toList();
        assertEquals(listed, found);
        assertTrue(ExperimentCatalog.known().containsKey("bottleneck"));
        assertEquals(
                "org.latentlab.experiments.Bottleneck",
                ExperimentCatalog.get("bottleneck").getClass().getName());
    }

    private static final String SERVICES = "/META-INF/services/org.latentlab.sweep.Experiment";

    @Test
    void anUnlistedClassRunsByItsFullyQualifiedName() {
        assertInstanceOf(TinyVaeSweep.class, ExperimentCatalog.get(TinyVaeSweep.class.getName()));
    }

    @Test
    void unknownNamesAndNonExperimentsAreErrorsNamingTheKnownOnes() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ExperimentCatalog.get("betta-sweep"));
        assertTrue(e.getMessage().contains("unknown experiment 'betta-sweep'"), e.getMessage());
        assertTrue(e.getMessage().contains("bottleneck, "), e.getMessage());
        IllegalArgumentException notOne =
                assertThrows(IllegalArgumentException.class, () -> ExperimentCatalog.get("java.lang.String"));
        assertEquals("java.lang.String is not an Experiment", notOne.getMessage());
    }
}
