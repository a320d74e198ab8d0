package org.latentlab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.data.Datasets;
import org.latentlab.eval.EvaluationOptions;
import org.latentlab.eval.EvaluationResult;
import org.latentlab.graph.Activation;
import org.latentlab.models.Models;
import org.latentlab.models.ae.AutoencoderConfig;
import org.latentlab.models.ae.ContractiveAutoencoderConfig;
import org.latentlab.models.ae.DenoisingAutoencoderConfig;
import org.latentlab.models.ae.SparseAutoencoderConfig;
import org.latentlab.plot.FirstLayerWeights;
import org.latentlab.run.TrainingRun;
import org.latentlab.sweep.Experiment;
import org.latentlab.sweep.ResultsTable;
import org.latentlab.sweep.Shard;
import org.latentlab.sweep.SweepAnalysis;
import org.latentlab.sweep.SweepRunner;
import org.latentlab.sweep.Trial;
import org.latentlab.sweep.TrialPlanner;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The regularised experiment: its seven trials are the models asked for at one width, a quick sweep's table has a row
 * per model with the evaluation's numbers, every model denoised the same corrupted images, the CAE's Jacobian
 * estimate agrees with the closed form computed here from its weights, and the reading names the right models.
 */
class RegularisedTest {
    @TempDir
    Path tmp;

    @Test
    void trialsAreTheSevenModelsAtOneWidth() {
        for (Experiment.Scale scale : Experiment.Scale.values()) {
            Regularised exp = new Regularised();
            exp.atScale(scale);
            List<Trial> trials = new TrialPlanner(Models.registry()).plan(exp);
            assertEquals(7, trials.size());
            AutoencoderConfig ae = (AutoencoderConfig) trials.get(0).config().model();
            assertEquals(List.of(Regularised.WIDTH), ae.encoderSizes());
            assertEquals(Activation.SIGMOID, ae.codeActivation());
            for (int i = 0; i < 3; i++) {
                DenoisingAutoencoderConfig dae =
                        (DenoisingAutoencoderConfig) trials.get(1 + i).config().model();
                assertEquals(ae, dae.autoencoder());
                assertEquals(DenoisingSweep.medium(DenoisingSweep.KINDS.get(i)), dae.corruption());
            }
            SparseAutoencoderConfig kl =
                    (SparseAutoencoderConfig) trials.get(4).config().model();
            SparseAutoencoderConfig l1 =
                    (SparseAutoencoderConfig) trials.get(5).config().model();
            assertEquals(SparseAutoencoderConfig.SparsityPenalty.KL, kl.penalty());
            assertEquals(SparseAutoencoderConfig.SparsityPenalty.L1, l1.penalty());
            assertEquals(List.of(Regularised.WIDTH), kl.hiddenSizes());
            assertEquals(List.of(Regularised.WIDTH), l1.hiddenSizes());
            ContractiveAutoencoderConfig cae =
                    (ContractiveAutoencoderConfig) trials.get(6).config().model();
            assertEquals(List.of(Regularised.WIDTH), cae.encoderSizes());
            assertEquals(Activation.SIGMOID, cae.activation());
            for (Trial t : trials) {
                assertEquals(
                        scale == Experiment.Scale.QUICK ? 5 : Regularised.EPOCHS,
                        t.config().trainer().epochs());
                EvaluationOptions o = exp.evaluation(t.config()).orElseThrow();
                assertEquals(Regularised.EVAL_CORRUPTION, o.denoising());
                assertTrue(o.jacobianProbes() > 0 && o.probeTrainSize() > 0);
            }
        }
    }

    @Test
    void quickSweepTabulatesEveryModelAndTheCaeJacobianMatchesItsClosedForm() throws Exception {
        Regularised exp = new Regularised();
        exp.atScale(Experiment.Scale.QUICK);
        Path dir = tmp.resolve("regularised");
        SweepRunner runner = new SweepRunner(Models.registry(), Datasets.defaultDataDir(), false);
        runner.run(exp, dir, new Shard(0, 1));
        ResultsTable table = runner.collect(exp, dir);
        QuickReports.writeAndCheck(dir);
        assertEquals(7, table.rows().size());
        table.rows().forEach(r -> assertEquals("completed", r.status(), r.toString()));

        String analysis = Files.readString(dir.resolve(SweepAnalysis.FILE));
        List<String> tableLines = analysis.lines()
                .filter(l -> l.startsWith("| ") && !l.startsWith("| model"))
                .toList();
        assertEquals(7, tableLines.size(), analysis);
        assertTrue(
                analysis.contains("| model | MSE per pixel | denoised MSE (masking:0.3) | rho-hat | near zero | "
                        + "Jacobian | linear probe |"),
                analysis);
        List<Regularised.Case> cases = Regularised.cases();
        Set<Double> noisy = new HashSet<>();
        for (int i = 0; i < 7; i++) {
            ResultsTable.Row row = table.rows().get(i);
            EvaluationResult e = EvaluationResult.read(
                    dir.resolve("trials").resolve(row.trial()).resolve(EvaluationResult.FILE));
            String[] cells = tableLines.get(i).split(" \\| ");
            assertEquals("| " + cases.get(i).label(), cells[0]);
            assertEquals(SweepAnalysis.num(e.reconstruction().msePerPixel()), cells[1]);
            assertEquals(SweepAnalysis.num(e.denoising().msePerPixel()), cells[2]);
            assertEquals(SweepAnalysis.num(e.sparsity().meanActivation()), cells[3]);
            assertEquals(SweepAnalysis.num(e.sparsity().nearZeroFraction()), cells[4]);
            assertTrue(cells[5].startsWith(SweepAnalysis.num(e.jacobian().frobeniusSquared()) + " (se "), cells[5]);
            assertEquals(SweepAnalysis.num(e.probes().linearAccuracy()) + " |", cells[6]);
            assertEquals(Regularised.EVAL_CORRUPTION, e.denoising().corruption());
            noisy.add(e.denoising().noisyMsePerPixel());
        }
        assertEquals(1, noisy.size(), "every model must be given the same corrupted test images: " + noisy);

        // The CAE is one sigmoid layer h = s(xW + b): ||J||_F^2 = sum_j (h_j (1 - h_j))^2 sum_i W_ij^2 exactly.
        ResultsTable.Row caeRow = table.rows().get(6);
        EvaluationResult e = EvaluationResult.read(
                dir.resolve("trials").resolve(caeRow.trial()).resolve(EvaluationResult.FILE));
        TrainingRun.Finished cae = new SweepAnalysis(
                        table, dir, Experiment.Scale.QUICK, Models.registry(), Datasets.defaultDataDir())
                .load(caeRow);
        float[][] filters = FirstLayerWeights.of(cae.model(), 28, 28).filters();
        double[] columnNorms = Arrays.stream(filters)
                .mapToDouble(f -> {
                    double s = 0;
                    for (float w : f) {
                        s += (double) w * w;
                    }
                    return s;
                })
                .toArray();
        int n = e.jacobian().images();
        INDArray codes = cae.model().encode(cae.test().features().get(NDArrayIndex.interval(0, n), NDArrayIndex.all()));
        double exact = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < columnNorms.length; j++) {
                double h = codes.getDouble(i, j);
                exact += h * (1 - h) * h * (1 - h) * columnNorms[j];
            }
        }
        exact /= n;
        double estimate = e.jacobian().frobeniusSquared();
        assertTrue(
                Math.abs(estimate - exact) < 4 * e.jacobian().standardError() + 1e-3 * exact,
                "estimate " + estimate + " (se " + e.jacobian().standardError() + ") vs closed form " + exact);
    }

    private static Regularised.Summary summary(String label, String type, double denoising, double jacobian) {
        return new Regularised.Summary(label, type, 0.01, denoising, 0.03, 0.5, 0.1, jacobian, 0.1, 0.9);
    }

    @Test
    void readingNamesTheSmallestJacobianAndTheBestDenoiser() {
        List<Regularised.Summary> rows = List.of(
                summary("ae", "ae", 0.020, 40),
                summary("dae m", "dae", 0.010, 30),
                summary("dae g", "dae", 0.015, 20),
                summary("sparse", "sparse-ae", 0.030, Double.NaN),
                summary("cae", "cae", 0.018, 10));
        String reading = Regularised.reading(rows);
        assertTrue(reading.contains("Smallest encoder Jacobian: cae (squared Frobenius norm 10.00)"), reading);
        assertTrue(reading.contains("has the smallest, as the lectures"), reading);
        assertTrue(reading.contains("the plain autoencoder's is 4.000 times the CAE's"), reading);
        assertTrue(reading.contains("Best denoiser of the masking:0.3 test images: dae m (MSE 0.01000"), reading);
        assertTrue(reading.contains("2 of the 2 denoising autoencoders are among the 2 best"), reading);

        List<Regularised.Summary> other = List.of(
                summary("ae", "ae", 0.010, 5),
                summary("dae m", "dae", 0.012, 30),
                summary("dae g", "dae", 0.020, 20),
                summary("cae", "cae", 0.011, 10));
        reading = Regularised.reading(other);
        assertTrue(reading.contains("Smallest encoder Jacobian: ae"), reading);
        assertTrue(
                reading.contains(
                        "is not the smallest, against what the lectures lead one to expect: it ranks 2 " + "of 4"),
                reading);
        assertTrue(reading.contains("Best denoiser of the masking:0.3 test images: ae"), reading);
        assertTrue(reading.contains("0 of the 2 denoising autoencoders are among the 2 best"), reading);
        assertTrue(reading.contains("A denoiser is not the best."), reading);
    }

    @Test
    void quickSweepOnFashionMnistNamesTheDatasetAndTrainsOnASubset() throws Exception {
        Path data = FashionFixture.write(tmp.resolve("data"));
        Path out = tmp.resolve("fashion");
        Regularised exp = new Regularised();
        exp.atScale(Experiment.Scale.QUICK).onDataset(Datasets.FASHION_MNIST);
        SweepRunner runner = new SweepRunner(Models.registry(), data, false);
        assertEquals(new SweepRunner.Outcome(7, 0, 0), runner.run(exp, out, new Shard(0, 1)));
        runner.collect(exp, out);
        QuickReports.writeAndCheck(out, data);

        TrainingRun runs = new TrainingRun(Models.registry(), data, false);
        try (var trials = Files.list(out.resolve(SweepRunner.TRIALS_DIR))) {
            for (Path trial : trials.toList()) {
                assertEquals(Datasets.FASHION_MNIST, runs.readConfig(trial).dataset(), trial.toString());
                assertEquals(
                        GalleryExperiment.QUICK_TRAIN_SIZE,
                        runs.readConfig(trial).trainSize());
            }
        }
        String analysis = Files.readString(out.resolve(SweepAnalysis.FILE));
        assertTrue(analysis.startsWith("# Analysis of regularised on fashion-mnist (quick run)"), analysis);
        assertTrue(analysis.contains("Dataset fashion-mnist: Fashion-MNIST with its canonical"), analysis);
        assertEquals(
                1 + 7,
                AnalysisTables.read(out.resolve(SweepAnalysis.FILE)).get(0).size(),
                "a row per model");
    }
}
