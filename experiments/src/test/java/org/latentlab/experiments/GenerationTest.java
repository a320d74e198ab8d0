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
import org.latentlab.run.SampleGridListener;
import org.latentlab.sweep.Experiment;
import org.latentlab.sweep.Shard;
import org.latentlab.sweep.SweepAnalysis;
import org.latentlab.sweep.SweepRunner;

class GenerationTest {
    @TempDir
    Path tmp;

    @Test
    void shownEpochsDoubleAndEndWithTheLast() {
        assertEquals(List.of(1, 2, 4, 8, 16, 20), Generation.shownEpochs(20));
        assertEquals(List.of(1, 2, 4, 5), Generation.shownEpochs(5));
        assertEquals(List.of(1), Generation.shownEpochs(1));
    }

    @Test
    void quickSweepSavesSamplesEveryEpochAndTabulatesTheElboOfEachEpoch() throws Exception {
        Generation exp = new Generation();
        exp.atScale(Experiment.Scale.QUICK);
        SweepRunner runner = new SweepRunner(Models.registry(), Datasets.defaultDataDir(), false);
        assertEquals(new SweepRunner.Outcome(1, 0, 0), runner.run(exp, tmp, new Shard(0, 1)));
        runner.collect(exp, tmp);
        QuickReports.writeAndCheck(tmp);

        Path trial;
        try (var trials = Files.list(tmp.resolve(SweepRunner.TRIALS_DIR))) {
            trial = trials.findFirst().orElseThrow();
        }
        List<String> metrics = Files.readAllLines(trial.resolve("metrics.csv"));
        int epochs = metrics.size() - 1;
        assertEquals(5, epochs, "the quick run trains 5 epochs");
        for (int e = 1; e <= epochs; e++) {
            assertTrue(Files.size(SampleGridListener.file(trial, e)) > 0, "no sample grid after epoch " + e);
        }
        assertTrue(Files.size(tmp.resolve(SweepAnalysis.PLOTS_DIR).resolve("samples_over_training.png")) > 0);

        List<List<String>> table =
                AnalysisTables.read(tmp.resolve(SweepAnalysis.FILE)).get(0);
        assertEquals(List.of("epoch", "train", "validation"), table.get(0));
        assertEquals(epochs + 1, table.size());
        List<String> header = List.of(metrics.get(0).split(","));
        for (int e = 1; e <= epochs; e++) {
            String[] m = metrics.get(e).split(",");
            List<String> row = table.get(e);
            assertEquals(m[header.indexOf("epoch")], row.get(0));
            double train = Double.parseDouble(m[header.indexOf("train_loss")]);
            assertEquals(train, Double.parseDouble(row.get(1)), 1e-3 * train);
        }
        EvaluationResult ev = EvaluationResult.read(trial.resolve(EvaluationResult.FILE));
        String analysis = Files.readString(tmp.resolve(SweepAnalysis.FILE));
        assertTrue(analysis.contains("negative ELBO " + SweepAnalysis.num(ev.negElbo()) + " nats per image"), analysis);
        assertTrue(ev.negElbo() > 50 && ev.negElbo() < 550, "a negative ELBO in nats per MNIST image: " + ev.negElbo());
    }
}
