package org.latentlab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

class BottleneckTest {
    @TempDir
    Path tmp;

    @Test
    void quickSweepTabulatesEachCodeSizesErrorAndTheJudgesAccuracyFromItsEvaluation() throws Exception {
        Bottleneck exp = new Bottleneck();
        exp.atScale(Experiment.Scale.QUICK);
        SweepRunner runner = new SweepRunner(Models.registry(), Datasets.defaultDataDir(), false);
        assertEquals(new SweepRunner.Outcome(3, 0, 0), runner.run(exp, tmp, new Shard(0, 1)));
        runner.collect(exp, tmp);
        QuickReports.writeAndCheck(tmp);

        List<List<String>> table =
                AnalysisTables.read(tmp.resolve(SweepAnalysis.FILE)).get(0);
        assertEquals(
                List.of(
                        "code size",
                        "MSE per pixel",
                        "PCA MSE per pixel",
                        "classifier on reconstructions",
                        "classifier on real images",
                        "linear probe on codes"),
                table.get(0));
        assertEquals(4, table.size(), "header + one row per code size");
        String[] trials = {"000-codeSize=2", "001-codeSize=4", "002-codeSize=32"};
        double[] mse = new double[3];
        for (int i = 0; i < 3; i++) {
            List<String> row = table.get(i + 1);
            EvaluationResult e = EvaluationResult.read(
                    tmp.resolve(SweepRunner.TRIALS_DIR).resolve(trials[i]).resolve(EvaluationResult.FILE));
            assertEquals(Bottleneck.CODE_SIZES[i], e.codeSize());
            assertEquals(String.valueOf(Bottleneck.CODE_SIZES[i]), row.get(0));
            mse[i] = e.reconstruction().msePerPixel();
            assertEquals(mse[i], Double.parseDouble(row.get(1)), 1e-3 * mse[i]);
            assertEquals(
                    e.pca().msePerPixel(),
                    Double.parseDouble(row.get(2)),
                    1e-3 * e.pca().msePerPixel());
            double recon = e.classifier().reconstructionAccuracy();
            double real = e.classifier().realAccuracy();
            assertEquals(recon, Double.parseDouble(row.get(3)), 1e-3);
            assertEquals(real, Double.parseDouble(row.get(4)), 1e-3);
            // Three epochs on 2,000 images may leave a small code at the mean image (the judge then says 10%), so
            // only the judge's accuracy on real images is bounded below.
            assertTrue(recon >= 0 && recon <= 1 && real > 0.5, "the judge beats chance on real images: " + row);
        }
        // The shared judge is the same classifier for every trial: its accuracy on the real images is one number.
        assertEquals(table.get(1).get(4), table.get(3).get(4));
        assertTrue(mse[2] < mse[0], "a 32-unit code reconstructs better than a 2-unit one: " + List.of(mse));
    }
}
