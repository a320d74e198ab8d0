package org.latentlab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
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

class LikelihoodTest {
    @TempDir
    Path tmp;

    private static EvaluationResult runQuick(Experiment exp, Path dir) throws Exception {
        exp.atScale(Experiment.Scale.QUICK);
        SweepRunner runner = new SweepRunner(Models.registry(), Datasets.defaultDataDir(), false);
        assertEquals(new SweepRunner.Outcome(1, 0, 0), runner.run(exp, dir, new Shard(0, 1)));
        runner.collect(exp, dir);
        QuickReports.writeAndCheck(dir);
        Path trial;
        try (var trials = Files.list(dir.resolve(SweepRunner.TRIALS_DIR))) {
            trial = trials.findFirst().orElseThrow();
        }
        return EvaluationResult.read(trial.resolve(EvaluationResult.FILE));
    }

    @Test
    void vaeQuickRunTabulatesItsImportanceSampledNllBesideTheAnchorsWithTheBinarization() throws Exception {
        EvaluationResult ev = runQuick(new LikelihoodVae(), tmp.resolve("vae"));
        assertEquals(50, ev.importanceSampling().samples());
        assertEquals(100, ev.importanceSampling().images());
        assertEquals("binarized-mnist-sample-test", ev.testSet());
        List<List<String>> table = AnalysisTables.read(tmp.resolve("vae").resolve(SweepAnalysis.FILE))
                .get(0);
        assertEquals("VAE 784-400-40 (ours)", table.get(1).get(0));
        double nll = -ev.importanceSampling().logLikelihood();
        assertEquals(nll, Double.parseDouble(table.get(1).get(1)), 1e-3 * nll);
        assertTrue(table.get(1).get(4).startsWith("dynamic"), table.get(1).toString());
        assertEquals("89.78", table.get(2).get(1));
        assertTrue(table.get(2).get(4).startsWith("static"), "the anchor's binarization is named");
        // The estimate is a tighter bound than the ELBO of the same model (k = 50 against k = 1).
        assertTrue(nll < ev.negElbo(), nll + " vs " + ev.negElbo());
    }

    @Test
    void iwaeQuickRunTrainsTheTwoLayerTanhModelWithTheBurdaSchedule() throws Exception {
        EvaluationResult ev = runQuick(new LikelihoodIwae(), tmp.resolve("iwae"));
        assertEquals("Iwae", ev.model());
        String analysis = Files.readString(tmp.resolve("iwae").resolve(SweepAnalysis.FILE));
        assertTrue(analysis.contains("IWAE k = 50, 784-200-200-50 (ours)"), analysis);
        assertTrue(analysis.contains("86.82"), analysis);
        double nll = -ev.importanceSampling().logLikelihood();
        assertTrue(nll > 50 && nll < 550, "an NLL in nats per binarized MNIST image: " + nll);
    }
}
