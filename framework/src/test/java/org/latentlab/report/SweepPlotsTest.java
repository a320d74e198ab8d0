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
    void panelTitlesLeaveOutTheSettingsEveryModelThatHasThemShares() {
        // cases over model types, each with its own keys: encoderSizes=[256] (ae, dae) and hiddenSizes=[256]
        // (sparse-ae) are the common setup; the model comes first, then what differs
        List<ResultsTable.Row> cases = List.of(
                row("000", "codeActivation", "sigmoid", "encoderSizes", "[256]", "model", "ae"),
                row(
                        "001",
                        "codeActivation",
                        "sigmoid",
                        "corruptionLevel",
                        "0.3",
                        "encoderSizes",
                        "[256]",
                        "model",
                        "dae"),
                row(
                        "002",
                        "codeActivation",
                        "sigmoid",
                        "corruptionLevel",
                        "0.5",
                        "encoderSizes",
                        "[256]",
                        "model",
                        "dae"),
                row("003", "hiddenSizes", "[256]", "model", "sparse-ae", "penalty", "kl"),
                row("004", "hiddenSizes", "[256]", "model", "sparse-ae", "penalty", "l1"),
                row("005", "encoderSizes", "[1000]", "model", "cae"));
        assertEquals(
                Map.of(
                        "000", "model=ae, encoderSizes=[256]",
                        "001", "model=dae, encoderSizes=[256], corruptionLevel=0.3",
                        "002", "model=dae, encoderSizes=[256], corruptionLevel=0.5",
                        "003", "model=sparse-ae, penalty=kl",
                        "004", "model=sparse-ae, penalty=l1",
                        "005", "model=cae, encoderSizes=[1000]"),
                SweepPlots.titles(cases));
        // a shared value that one trial of the same model lacks does tell trials apart: it stays
        List<ResultsTable.Row> sameModel = List.of(
                row("a", "model", "ae"),
                row("b", "model", "ae", "codeActivation", "sigmoid"),
                row("c", "model", "ae", "codeActivation", "sigmoid", "encoderSizes", "[8]"));
        assertEquals(
                Map.of("a", "a", "b", "codeActivation=sigmoid", "c", "codeActivation=sigmoid, encoderSizes=[8]"),
                SweepPlots.titles(sameModel));
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
