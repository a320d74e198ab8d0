package org.latentlab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.data.Cifar10;
import org.latentlab.data.Datasets;
import org.latentlab.eval.EvaluationResult;
import org.latentlab.models.Models;
import org.latentlab.run.LikelihoodCurveListener;
import org.latentlab.sweep.Experiment;
import org.latentlab.sweep.Shard;
import org.latentlab.sweep.SweepAnalysis;
import org.latentlab.sweep.SweepRunner;
import org.latentlab.train.TrainerConfig;

class LikelihoodTest {
    @TempDir
    Path tmp;

    private static EvaluationResult runQuick(Experiment exp, Path dir) throws Exception {
        return runQuick(exp, dir, Datasets.defaultDataDir(), 1);
    }

    private static EvaluationResult runQuick(Experiment exp, Path dir, Path dataDir, int trialCount) throws Exception {
        exp.atScale(Experiment.Scale.QUICK);
        SweepRunner runner = new SweepRunner(Models.registry(), dataDir, false);
        assertEquals(new SweepRunner.Outcome(trialCount, 0, 0), runner.run(exp, dir, new Shard(0, 1)));
        runner.collect(exp, dir);
        QuickReports.writeAndCheck(dir, dataDir);
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
    void iwaeQuickRunTrainsTheTwoLayerTanhModelWithTheBurdaScheduleAndReportsItsNllCurve() throws Exception {
        Path dir = tmp.resolve("iwae");
        EvaluationResult ev = runQuick(new LikelihoodIwae(), dir);
        assertEquals("Iwae", ev.model());
        String analysis = Files.readString(dir.resolve(SweepAnalysis.FILE));
        assertTrue(analysis.contains("IWAE k = 50, 784-200-200-50 (ours)"), analysis);
        assertTrue(analysis.contains("86.82"), analysis);
        double nll = -ev.importanceSampling().logLikelihood();
        assertTrue(nll > 50 && nll < 550, "an NLL in nats per binarized MNIST image: " + nll);

        // The curve during training (quick: every pass, k = 20 on 50 images), tabulated and drawn by the analysis.
        Path trial;
        try (var trials = Files.list(dir.resolve(SweepRunner.TRIALS_DIR))) {
            trial = trials.findFirst().orElseThrow();
        }
        List<String[]> curve = LikelihoodCurveListener.read(LikelihoodCurveListener.file(trial)).stream()
                .map(r -> r.line().split(","))
                .toList();
        assertEquals(List.of("1", "2"), curve.stream().map(c -> c[0]).toList());
        for (String[] c : curve) {
            assertEquals("20", c[1]);
            assertEquals("50", c[2]);
            double point = Double.parseDouble(c[3]);
            assertTrue(point > 50 && point < 800, "an NLL in nats: " + point);
            assertTrue(point <= Double.parseDouble(c[5]), "k = 20 is tighter than the ELBO of the same draws");
        }
        assertTrue(analysis.contains("## Negative log-likelihood during training"), analysis);
        assertTrue(analysis.contains("](plots/likelihood_curve.png)"), analysis);
        assertTrue(Files.isRegularFile(dir.resolve("plots/likelihood_curve.png")));
        List<List<String>> table =
                AnalysisTables.read(dir.resolve(SweepAnalysis.FILE)).get(1);
        assertEquals("epoch", table.get(0).get(0));
        assertEquals(3, table.size());
        for (int i = 0; i < 2; i++) {
            assertEquals(curve.get(i)[0], table.get(i + 1).get(0));
            assertEquals(
                    SweepAnalysis.num(Double.parseDouble(curve.get(i)[3])),
                    table.get(i + 1).get(1));
        }
    }

    @Test
    void theIwaeRecordsItsCurveAtFullScaleAndTheVaeKeepsItsConfig() {
        LikelihoodIwae iwae = new LikelihoodIwae();
        iwae.atScale(Experiment.Scale.FULL);
        TrainerConfig full = iwae.baseConfig().trainer();
        assertEquals(10, full.likelihoodEvery());
        assertEquals(5000, full.likelihoodSamples());
        assertEquals(1000, full.likelihoodImages());
        iwae.atScale(Experiment.Scale.QUICK);
        TrainerConfig quick = iwae.baseConfig().trainer();
        assertEquals(
                List.of(1, 20, 50),
                List.of(quick.likelihoodEvery(), quick.likelihoodSamples(), quick.likelihoodImages()));
        // A run of the VAE is under way with its config as it is: no curve there.
        LikelihoodVae vae = new LikelihoodVae();
        vae.atScale(Experiment.Scale.FULL);
        assertEquals(0, vae.baseConfig().trainer().likelihoodEvery());
    }

    /** CIFAR-10's six binary files with {@code perFile} records each (test: 100), seeded colours, labels i mod 10. */
    private static Path cifarFixture(Path dataDir, int perFile) throws Exception {
        Path dir = Cifar10.cifar10Dir(dataDir);
        Files.createDirectories(dir);
        Random random = new Random(3);
        for (String f : Cifar10.FILES) {
            int n = f.equals(Cifar10.TEST_FILE) ? 100 : perFile;
            byte[] bytes = new byte[n * Cifar10.RECORD_BYTES];
            for (int i = 0; i < n; i++) {
                int at = i * Cifar10.RECORD_BYTES;
                bytes[at] = (byte) (i % 10);
                // a smooth colour per image and channel, with pixel noise: something a conv VAE can learn
                for (int c = 0; c < 3; c++) {
                    int base = random.nextInt(200);
                    for (int p = 0; p < 1024; p++) {
                        bytes[at + 1 + c * 1024 + p] = (byte) (base + (p % 32) + random.nextInt(24));
                    }
                }
            }
            Files.write(dir.resolve(f), bytes);
        }
        return dataDir;
    }

    @Test
    void cifarQuickRunGivesBitsPerDimensionOfDequantizedImagesBesideTheConvVaeAnchors() throws Exception {
        Path data = cifarFixture(tmp.resolve("data"), 60);
        runQuick(new LikelihoodCifar10(), tmp.resolve("cifar"), data, 2);
        List<Path> trials;
        try (var list = Files.list(tmp.resolve("cifar").resolve(SweepRunner.TRIALS_DIR))) {
            trials = list.sorted().toList();
        }
        assertEquals(2, trials.size(), trials.toString());
        for (Path trial : trials) {
            EvaluationResult ev = EvaluationResult.read(trial.resolve(EvaluationResult.FILE));
            EvaluationResult.ImportanceSampling is = ev.importanceSampling();
            assertTrue(is.dequantized(), trial.toString());
            double expected = (-is.logLikelihood() + 3072 * Math.log(256)) / (3072 * Math.log(2));
            assertEquals(expected, is.bitsPerDim(), 1e-9);
            // an upper bound: above 0, and above 8 bits only for a model worse than uniform (2 epochs on a fixture can
            // be)
            assertTrue(is.bitsPerDim() > 0 && Double.isFinite(is.bitsPerDim()), "bits per dim: " + is.bitsPerDim());
        }
        List<List<String>> table = AnalysisTables.read(tmp.resolve("cifar").resolve(SweepAnalysis.FILE))
                .get(0);
        assertTrue(table.get(1).get(0).contains("sigma"), table.get(1).toString());
        assertTrue(
                table.get(1).get(4).startsWith("8-bit, dequantized"),
                table.get(1).toString());
        assertEquals("4.510", table.get(3).get(6));
    }
}
