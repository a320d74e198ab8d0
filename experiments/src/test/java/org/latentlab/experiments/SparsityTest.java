package org.latentlab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.data.Datasets;
import org.latentlab.eval.EvaluationResult;
import org.latentlab.models.Models;
import org.latentlab.sweep.Experiment;
import org.latentlab.sweep.Shard;
import org.latentlab.sweep.SweepAnalysis;
import org.latentlab.sweep.SweepRunner;

class SparsityTest {
    @TempDir
    Path tmp;

    @Test
    void closeMeansWithinAQuarterOfRho() {
        assertTrue(Sparsity.close(0.05, 0.06));
        assertTrue(Sparsity.close(0.05, 0.04));
        assertFalse(Sparsity.close(0.05, 0.07));
        assertFalse(Sparsity.close(0.01, 0.064));
    }

    @Test
    void quickSweepReportsTheAchievedRhoHatOfEveryTarget() throws Exception {
        Sparsity exp = new Sparsity();
        exp.atScale(Experiment.Scale.QUICK);
        SweepRunner runner = new SweepRunner(Models.registry(), Datasets.defaultDataDir(), false);
        assertEquals(new SweepRunner.Outcome(4, 0, 0), runner.run(exp, tmp, new Shard(0, 1)));
        runner.collect(exp, tmp);
        QuickReports.writeAndCheck(tmp);

        List<List<String>> table =
                AnalysisTables.read(tmp.resolve(SweepAnalysis.FILE)).get(0);
        assertEquals("rho", table.get(0).get(0));
        assertEquals(5, table.size(), "header + one row per rho");
        String[] trials = {"000-rho=0.01", "001-rho=0.05", "002-rho=0.1", "003-rho=0.2"};
        for (int i = 0; i < 4; i++) {
            List<String> row = table.get(i + 1);
            double rho = Sparsity.RHOS[i];
            assertEquals(rho, Double.parseDouble(row.get(0)), 1e-12);
            EvaluationResult e = EvaluationResult.read(
                    tmp.resolve(SweepRunner.TRIALS_DIR).resolve(trials[i]).resolve(EvaluationResult.FILE));
            double[] units = e.sparsity().unitActivations();
            assertEquals(196, units.length, "one rho-hat per code unit");
            double mean = Arrays.stream(units).average().orElseThrow();
            double min = Arrays.stream(units).min().orElseThrow();
            double max = Arrays.stream(units).max().orElseThrow();
            assertEquals(mean, Double.parseDouble(row.get(1)), 1e-3 * mean);
            assertEquals(min, Double.parseDouble(row.get(2)), 1e-3 * min);
            assertEquals(max, Double.parseDouble(row.get(3)), 1e-3 * max);
            assertEquals(mean / rho, Double.parseDouble(row.get(4)), 1e-3 * mean / rho);
            assertTrue(units.length > 0 && min >= 0 && max <= 1, "sigmoid units");
            assertEquals(Math.abs(mean - rho) <= 0.25 * rho ? "yes" : "no", row.get(7));
        }
    }
}
