package org.latentlab.report;

import static org.junit.jupiter.api.Assertions.*;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
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
}
