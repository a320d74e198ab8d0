package org.latentlab.experiments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.data.Datasets;
import org.latentlab.eval.EvaluationResult;
import org.latentlab.eval.RocCurve;
import org.latentlab.models.Models;
import org.latentlab.run.RunConfig;
import org.latentlab.run.TrainingRun;
import org.latentlab.sweep.Experiment;
import org.latentlab.sweep.Shard;
import org.latentlab.sweep.SweepAnalysis;
import org.latentlab.sweep.SweepRunner;

class AnomalyTest {
    @TempDir
    Path tmp;

    /** AUROC by counting pairs: P(anomaly scores above normal) + half the ties. */
    private static double pairAuroc(double[] scores, int[] labels, int normal) {
        double wins = 0;
        long pairs = 0;
        for (int i = 0; i < scores.length; i++) {
            if (labels[i] == normal) {
                continue;
            }
            for (int j = 0; j < scores.length; j++) {
                if (labels[j] != normal) {
                    continue;
                }
                pairs++;
                wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
            }
        }
        return wins / pairs;
    }

    @Test
    void tprAtFollowsTheCurveAndTheMeanCurveHasTheMeanArea() {
        // anomalies 0.9, 0.7; normals 0.8, 0.7, 0.2: points (0,0) (0,.5) (1/3,.5) (2/3,1) (1,1), AUROC 0.75
        RocCurve a =
                RocCurve.of(new double[] {0.9, 0.8, 0.7, 0.7, 0.2}, new boolean[] {true, false, true, false, false});
        double[] at = Anomaly.tprAt(a, new double[] {0, 1 / 6.0, 1 / 3.0, 0.5, 2 / 3.0, 1});
        assertArrayEquals(new double[] {0.5, 0.5, 0.5, 0.75, 1, 1}, at, 1e-12);

        RocCurve b = RocCurve.of(new double[] {0.1, 0.9, 0.5, 0.3}, new boolean[] {true, false, true, false});
        double[] grid = Anomaly.fprGrid(3001);
        double[] mean = Anomaly.meanTpr(List.of(a, b), grid);
        double area = 0;
        for (int k = 1; k < grid.length; k++) {
            area += (grid[k] - grid[k - 1]) * (mean[k] + mean[k - 1]) / 2;
        }
        double expected = (0.75 + pairAuroc(new double[] {0.1, 0.9, 0.5, 0.3}, new int[] {1, 0, 1, 0}, 0)) / 2;
        assertEquals(expected, area, 1e-3, "area under the vertically averaged curve = mean AUROC");
    }

    @Test
    void quickSweepTabulatesEveryModelsAurocPerDigitAndDrawsTheRocFigure() throws Exception {
        Anomaly exp = new Anomaly();
        exp.atScale(Experiment.Scale.QUICK);
        SweepRunner runner = new SweepRunner(Models.registry(), Datasets.defaultDataDir(), false);
        SweepRunner.Outcome outcome = runner.run(exp, tmp, new Shard(0, 1));
        assertEquals(new SweepRunner.Outcome(6, 0, 0), outcome, "2 digits x 3 models");
        runner.collect(exp, tmp);
        QuickReports.writeAndCheck(tmp);

        List<List<List<String>>> tables = AnalysisTables.read(tmp.resolve(SweepAnalysis.FILE));
        List<List<String>> auroc = tables.get(0);
        assertEquals(List.of("normal digit", "MLP AE", "conv AE", "VAE", "best"), auroc.get(0));
        assertEquals(
                List.of("0", "1", "mean"),
                auroc.subList(1, 4).stream().map(r -> r.get(0)).toList());

        Map<String, Integer> column = Map.of("ae", 1, "conv-ae", 2, "vae", 3);
        double[][] recomputed = new double[2][4];
        try (var trials = Files.list(tmp.resolve(SweepRunner.TRIALS_DIR))) {
            for (Path trial : trials.toList()) {
                EvaluationResult e = EvaluationResult.read(trial.resolve(EvaluationResult.FILE));
                EvaluationResult.Anomaly a = e.anomaly();
                String model = trial.getFileName().toString().replaceAll(".*model=", "");
                String score = model.equals("vae") ? "neg_elbo" : "mse";
                assertEquals(score, a.score(), trial + " is scored by " + score);
                assertEquals(500, a.scores().length, "every test image is scored");
                double expected = pairAuroc(a.scores(), a.labels(), a.normalClass());
                recomputed[a.normalClass()][column.get(model)] = expected;
                String cell = auroc.get(1 + a.normalClass()).get(column.get(model));
                assertEquals(expected, Double.parseDouble(cell), 5e-4, trial + ": " + cell);
            }
        }
        for (int c = 1; c <= 3; c++) {
            double mean = (recomputed[0][c] + recomputed[1][c]) / 2;
            assertEquals(mean, Double.parseDouble(auroc.get(3).get(c)), 5e-4, "mean of column " + c);
        }
        List<List<String>> literature = tables.get(1);
        assertTrue(literature.stream()
                .anyMatch(r -> r.get(0).contains("Deep SVDD") && r.get(1).equals("0.948")));
        // The paper's per-digit Deep SVDD values beside this sweep's, digit by digit; they average to its mean.
        assertEquals(
                Anomaly.PAPER_DEEP_SVDD_MEAN,
                java.util.Arrays.stream(Anomaly.PAPER_DEEP_SVDD).average().orElseThrow(),
                5e-4);
        List<List<String>> perDigit = tables.get(2);
        assertEquals("one-class Deep SVDD (paper)", perDigit.get(0).get(4));
        assertEquals(3, perDigit.size(), "header + digits 0 and 1");
        for (int r = 1; r <= 2; r++) {
            assertEquals(auroc.get(r).subList(0, 4), perDigit.get(r).subList(0, 4), "this sweep's AUROCs");
        }
        assertEquals("0.980", perDigit.get(1).get(4));
        assertEquals("0.997", perDigit.get(2).get(4));
        assertTrue(Files.size(tmp.resolve(SweepAnalysis.PLOTS_DIR).resolve("anomaly_roc.png")) > 0);
    }

    @Test
    void quickSweepOnFashionMnistNamesTheClassesAndQuotesNoMnistAnchor() throws Exception {
        Path data = FashionFixture.write(tmp.resolve("data"));
        Path out = tmp.resolve("fashion");
        Anomaly exp = new Anomaly();
        exp.atScale(Experiment.Scale.QUICK).onDataset(Datasets.FASHION_MNIST);
        SweepRunner runner = new SweepRunner(Models.registry(), data, false);
        assertEquals(new SweepRunner.Outcome(6, 0, 0), runner.run(exp, out, new Shard(0, 1)), "2 classes x 3 models");
        runner.collect(exp, out);
        QuickReports.writeAndCheck(out, data);

        try (var trials = Files.list(out.resolve(SweepRunner.TRIALS_DIR))) {
            for (Path trial : trials.toList()) {
                RunConfig config = new TrainingRun(Models.registry(), data, false).readConfig(trial);
                assertEquals(Datasets.FASHION_MNIST, config.dataset(), trial.toString());
                assertEquals(Anomaly.QUICK_CLASS_TRAIN_SIZE, config.trainSize(), "a quick subset of the class");
                EvaluationResult.Anomaly a = EvaluationResult.read(trial.resolve(EvaluationResult.FILE))
                        .anomaly();
                assertEquals(10 * FashionFixture.TEST_PER_CLASS, a.scores().length, "every test image is scored");
            }
        }
        String analysis = Files.readString(out.resolve(SweepAnalysis.FILE));
        assertTrue(analysis.startsWith("# Analysis of anomaly on fashion-mnist (quick run)"), analysis);
        List<List<String>> auroc =
                AnalysisTables.read(out.resolve(SweepAnalysis.FILE)).get(0);
        assertEquals(List.of("normal class", "MLP AE", "conv AE", "VAE", "best"), auroc.get(0));
        assertEquals(
                List.of("0 T-shirt/top", "1 Trouser", "mean"),
                auroc.subList(1, 4).stream().map(r -> r.get(0)).toList());
        assertEquals(1, AnalysisTables.read(out.resolve(SweepAnalysis.FILE)).size(), "no literature tables");
        assertTrue(analysis.contains(Anomaly.FASHION_ANCHOR_NOTE), analysis);
        assertFalse(analysis.contains("0.948") || analysis.contains("(paper)"), "no MNIST anchor: " + analysis);
        assertTrue(Files.size(out.resolve(SweepAnalysis.PLOTS_DIR).resolve("anomaly_roc.png")) > 0);
    }
}
