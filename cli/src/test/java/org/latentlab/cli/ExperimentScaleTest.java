package org.latentlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.latentlab.cli.CliRunner.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.cli.CliRunner.Result;
import org.latentlab.eval.EvaluationResult;
import org.latentlab.sweep.ResultsTable;
import org.latentlab.sweep.SweepAnalysis;

/**
 * {@code sweep --quick}: the experiment's quick version, recorded in sweep.json and kept on reruns; every trial
 * evaluated by the one classifier of the sweep; the analysis written to analysis.md, redone by collect and shown by
 * the report.
 */
class ExperimentScaleTest {
    private static final String EXPERIMENT = ScaledSweep.class.getName();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void aQuickSweepIsEvaluatedAnalysedReportedAndKeepsItsScale() throws Exception {
        Path out = tmp.resolve("quick");
        Result r = run("sweep", EXPERIMENT, "--out", out.toString(), "--quick", "--report");
        assertEquals(0, r.exit(), r.err());

        JsonNode sweep = JSON.readTree(out.resolve("sweep.json").toFile());
        assertEquals("quick", sweep.path("scale").asText());
        List<Path> trials;
        try (Stream<Path> s = Files.list(out.resolve("trials"))) {
            trials = s.sorted().toList();
        }
        assertEquals(2, trials.size());
        for (Path trial : trials) {
            assertEquals(
                    "mnist-sample",
                    JSON.readTree(trial.resolve("config.json").toFile())
                            .path("dataset")
                            .asText());
            EvaluationResult e = EvaluationResult.read(trial.resolve(EvaluationResult.FILE));
            assertTrue(e.classifier().realAccuracy() > 0.5, "the sweep's classifier learned something: " + e);
        }
        // One classifier for the sweep, trained once, shared by both trials.
        try (Stream<Path> s = Files.list(out.resolve("judges"))) {
            assertEquals(1, s.filter(f -> f.toString().endsWith(".sdz")).count());
        }
        assertTrue(Files.readString(out.resolve(ResultsTable.CSV)).contains("eval_classifier_recon_accuracy"));
        String analysis = Files.readString(out.resolve(SweepAnalysis.FILE));
        assertTrue(analysis.contains("## Codes and classifier") && analysis.contains("Scale QUICK"), analysis);
        assertTrue(analysis.contains("| 000-seed=1 |") && analysis.contains("| 001-seed=2 |"), analysis);
        String index = Files.readString(out.resolve("index.html"));
        assertTrue(index.contains("<h3>Codes and classifier</h3>"), index);
        assertTrue(index.contains("<td>000-seed=1</td>"), index);

        // The scale is part of the sweep: a full rerun into the same folder is refused, naming the fix.
        Result full = run("sweep", EXPERIMENT, "--out", out.toString());
        assertEquals(1, full.exit());
        assertTrue(full.err().contains("started at scale quick") && full.err().contains("--quick"), full.err());

        // collect redoes the analysis at the recorded scale; a quick rerun finds everything complete.
        Files.delete(out.resolve(SweepAnalysis.FILE));
        Result c = run("collect", "--sweep", out.toString());
        assertEquals(0, c.exit(), c.err());
        assertTrue(Files.readString(out.resolve(SweepAnalysis.FILE)).contains("Scale QUICK"));
        Result again = run("sweep", EXPERIMENT, "--out", out.toString(), "--quick");
        assertEquals(0, again.exit(), again.err());
        assertFalse(again.err().contains("training an MLP"), again.err());
    }
}
