package org.latentlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VersionProviderTest {

    @Test
    void reportsProjectAndDl4jVersions() {
        String[] lines = new VersionProvider().getVersion();
        assertEquals(3, lines.length);
        assertTrue(lines[0].matches("latentlab \\d+\\.\\d+\\.\\d+.*"), lines[0]);
        assertTrue(lines[1].startsWith("Deeplearning4j/ND4J 1.0.0-"), lines[1]);
        assertFalse(String.join("\n", lines).contains("${"), "resource filtering ran");
    }
}
