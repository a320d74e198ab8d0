package org.latentlab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.data.Datasets;
import org.latentlab.eval.EvaluationResult;
import org.latentlab.models.Models;
import org.latentlab.sweep.Experiment;
import org.latentlab.sweep.ResultsTable;
import org.latentlab.sweep.Shard;
import org.latentlab.sweep.SweepAnalysis;
import org.latentlab.sweep.SweepRunner;

class BetaTest {
    @TempDir
    Path tmp;

    @Test
    void trendsAndBetasAreWordedFromTheNumbers() {
        assertEquals("falls", Beta.trend(new double[] {50, 50, 40, 12}));
        assertEquals("rises", Beta.trend(new double[] {1, 2, 2, 3}));
        assertEquals("stays", Beta.trend(new double[] {5, 5, 5}));
        assertEquals("is not monotone", Beta.trend(new double[] {3, 1, 2}));
        assertEquals(
                List.of("0", "0.5", "1", "2", "4"),
                Arrays.stream(Beta.BETAS).mapToObj(Beta::format).toList());
    }

    @Test
    void theKlAxisIsLogarithmicOnlyForAWidePositiveRange() {
        assertTrue(Beta.logKlAxis(9.5, 832.4), "the full run: beta = 0 to 4");
        assertFalse(Beta.logKlAxis(9.5, 39.4), "a 4x range stays linear");
        assertFalse(Beta.logKlAxis(0, 100), "a zero KL cannot go on a log axis");
    }

    @Test
    void quickSweepTabulatesTheTermsActiveUnitsAndSigmaOfEveryBeta() throws Exception {
        Beta exp = new Beta();
        exp.atScale(Experiment.Scale.QUICK);
        SweepRunner runner = new SweepRunner(Models.registry(), Datasets.defaultDataDir(), false);
        assertEquals(new SweepRunner.Outcome(5, 0, 0), runner.run(exp, tmp, new Shard(0, 1)));
        runner.collect(exp, tmp);
        QuickReports.writeAndCheck(tmp);

        List<List<String>> table =
                AnalysisTables.read(tmp.resolve(SweepAnalysis.FILE)).get(0);
        assertEquals(
                List.of(
                        "beta",
                        "reconstruction",
                        "KL",
                        "negative ELBO",
                        "active units",
                        "mean posterior sigma",
                        "linear probe accuracy"),
                table.get(0));
        assertEquals(6, table.size(), "header + one row per beta");
        List<ResultsTable.Row> rows = ResultsTable.collect(tmp).rows();
        double[] active = new double[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            List<String> row = table.get(i + 1);
            assertEquals(Beta.BETAS[i], Double.parseDouble(row.get(0)), 1e-12);
            assertEquals(Beta.BETAS[i], Double.parseDouble(rows.get(i).params().get("beta")), 1e-12);
            EvaluationResult e = EvaluationResult.read(tmp.resolve(SweepRunner.TRIALS_DIR)
                    .resolve(rows.get(i).trial())
                    .resolve(EvaluationResult.FILE));
            double recon = Double.parseDouble(row.get(1));
            double kl = Double.parseDouble(row.get(2));
            double negElbo = Double.parseDouble(row.get(3));
            assertEquals(negElbo, recon + kl, 2e-3 * negElbo, "negative ELBO = reconstruction + KL: " + row);
            assertEquals(e.posterior().klPerImage(), kl, 0.02 * kl + 0.05, "the posterior section's KL: " + row);
            // active units: variance of the posterior mean over the test images above the threshold, counted here
            long counted = Arrays.stream(e.activeUnits().variances())
                    .filter(v -> v > e.activeUnits().threshold())
                    .count();
            assertEquals(counted + " of " + Beta.LATENT, row.get(4));
            active[i] = counted;
            double sigma =
                    Arrays.stream(e.posterior().unitMeanSigma()).average().orElseThrow();
            assertEquals(sigma, Double.parseDouble(row.get(5)), 1e-3 * sigma);
        }
        String analysis = Files.readString(tmp.resolve(SweepAnalysis.FILE));
        assertTrue(analysis.contains("the number of active units " + Beta.trend(active) + " ("), analysis);
        assertTrue(analysis.contains("At beta = 1 (the ELBO) " + (int) active[2] + " of 50 units are active"));
        assertTrue(Files.size(tmp.resolve(SweepAnalysis.PLOTS_DIR).resolve("beta_tradeoff.png")) > 0);
    }
}
