package org.latentlab.report;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.plot.PanelGrid;
import org.latentlab.sweep.ResultsTable;

class SweepPlotsTest {
    private static ResultsTable.Row row(String id, String... keyValues) {
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            params.put(keyValues[i], keyValues[i + 1]);
        }
        return new ResultsTable.Row(id, params, "completed", Map.of(), "");
    }

    @Test
    void panelTitlesNameOnlyTheParametersThatDiffer() {
        List<ResultsTable.Row> rows = List.of(
                row("000", "model", "ae", "encoderSizes", "[32,2]", "seed", "1"),
                row("001", "model", "vae", "hiddenSizes", "[32]", "latentSize", "2", "seed", "1"),
                row("002", "model", "dae", "corruptionLevel", "0.3", "seed", "1"));
        assertEquals(
                Map.of(
                        "000", "model=ae, encoderSizes=[32,2]",
                        "001", "model=vae, hiddenSizes=[32], latentSize=2",
                        "002", "model=dae, corruptionLevel=0.3"),
                SweepPlots.titles(rows));
        // a parameter with one value everywhere is left out; one that differs stays, in column order
        List<ResultsTable.Row> betas = List.of(row("a", "beta", "1", "seed", "1"), row("b", "beta", "4", "seed", "1"));
        assertEquals(Map.of("a", "beta=1", "b", "beta=4"), SweepPlots.titles(betas));
        // nothing differs (a single trial): the trial id
        assertEquals(Map.of("only", "only"), SweepPlots.titles(List.of(row("only", "beta", "1"))));
    }

    @Test
    void aModelWithoutPriorSamplesShowsItsDecodedStandardNormalCodesInTheSamplesGrid(@TempDir Path plots)
            throws Exception {
        String[] samples = SweepPlots.IMAGE_FIGURES.stream()
                .filter(k -> k[0].equals("samples_grid"))
                .findFirst()
                .orElseThrow();
        String[] filters = SweepPlots.IMAGE_FIGURES.stream()
                .filter(k -> k[0].equals("filters_grid"))
                .findFirst()
                .orElseThrow();
        assertNull(SweepPlots.panel(plots, "model=ae", samples).png(), "no figure at all: a missing panel");

        Path normal = Files.createFile(plots.resolve("samples_standard_normal.png"));
        PanelGrid.Panel ae = SweepPlots.panel(plots, "model=ae", samples);
        assertEquals(normal, ae.png());
        assertEquals("model=ae (N(0, I) codes)", ae.title());
        assertNull(SweepPlots.panel(plots, "model=ae", filters).png(), "other figures have no stand-in");

        Path prior = Files.createFile(plots.resolve("samples.png"));
        PanelGrid.Panel vae = SweepPlots.panel(plots, "model=vae", samples);
        assertEquals(prior, vae.png(), "prior samples come first");
        assertEquals("model=vae", vae.title());
    }
}
