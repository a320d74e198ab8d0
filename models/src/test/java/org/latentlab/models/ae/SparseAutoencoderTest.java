package org.latentlab.models.ae;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.latentlab.core.AutoencoderModel;
import org.latentlab.core.ModelRegistry;
import org.latentlab.data.DataBundle;
import org.latentlab.data.Datasets;
import org.latentlab.data.ImageDataset;
import org.latentlab.graph.WeightInit;
import org.latentlab.loss.NoiseSource;
import org.latentlab.models.Models;
import org.latentlab.models.ae.SparseAutoencoderConfig.SparsityPenalty;
import org.latentlab.train.Optimizer;
import org.latentlab.train.Trainer;
import org.latentlab.train.TrainerConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

class SparseAutoencoderTest {
    private static final ModelRegistry REGISTRY = Models.registry();
    private static ImageDataset train;
    private static ImageDataset test;

    @BeforeAll
    static void loadSample() {
        DataBundle bundle = Datasets.load(Datasets.MNIST_SAMPLE);
        train = bundle.train().head(256);
        test = bundle.test().head(200);
    }

    private static SparseAutoencoderConfig config(List<Integer> hidden, SparsityPenalty penalty, double weight) {
        return new SparseAutoencoderConfig(
                784,
                hidden,
                penalty,
                0.05,
                penalty == SparsityPenalty.KL ? weight : 3.0,
                penalty == SparsityPenalty.L1 ? weight : 0.1,
                WeightInit.XAVIER_UNIFORM);
    }

    private static TrainerConfig trainer(int epochs, long seed) {
        return new TrainerConfig(epochs, 32, Optimizer.ADAM, 3e-3, 0, 0, seed, 0, 0, 0);
    }

    private static double meanCodeActivation(AutoencoderModel<?> model) {
        return model.encode(test.features(range(test.size()))).meanNumber().doubleValue();
    }

    private static int[] range(int n) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        return idx;
    }

    @Test
    void klPenaltyMovesTheMeanCodeActivationTowardRho() {
        AutoencoderModel<SparseAutoencoderConfig> model =
                Models.SPARSE_AE.build(config(List.of(32), SparsityPenalty.KL, 3.0), 1);
        double rho = model.config().rho();
        double activationBefore = meanCodeActivation(model);
        Map<String, Double> before = model.evaluate(test, 100, 1);
        assertEquals(0.5, activationBefore, 0.1, "sigmoid units start near 0.5");

        new Trainer(trainer(2, 1)).fit(model, train, null);
        double activationAfter = meanCodeActivation(model);
        Map<String, Double> after = model.evaluate(test, 100, 1);

        assertTrue(
                Math.abs(activationAfter - rho) < 0.25 * Math.abs(activationBefore - rho),
                "mean code activation " + activationBefore + " -> " + activationAfter + ", target " + rho);
        assertTrue(
                after.get("sparsity") < 0.25 * before.get("sparsity"),
                "KL term " + before.get("sparsity") + " -> " + after.get("sparsity"));
        assertTrue(after.get("recon") < before.get("recon"), "recon " + before + " -> " + after);
        System.out.printf(
                "KL: mean code activation %.3f -> %.3f, KL %.3f -> %.3f%n",
                activationBefore, activationAfter, before.get("sparsity"), after.get("sparsity"));
        assertEquals(after.get("recon") + 3.0 * after.get("sparsity"), after.get("loss"), 1e-3 * after.get("loss"));
    }

    @Test
    void klTermMatchesNgsFormulaOnTheBatch() {
        AutoencoderModel<SparseAutoencoderConfig> model =
                Models.SPARSE_AE.build(config(List.of(16), SparsityPenalty.KL, 3.0), 2);
        INDArray x = test.features(range(50));
        INDArray h = model.encode(x);
        double expected = 0;
        for (int j = 0; j < h.size(1); j++) {
            double rhoHat = h.getColumn(j).meanNumber().doubleValue();
            expected += 0.05 * Math.log(0.05 / rhoHat) + 0.95 * Math.log(0.95 / (1 - rhoHat));
        }
        double actual = model.graph()
                .output(Map.of(AutoencoderModel.INPUT, x), "sparsity")
                .get("sparsity")
                .getDouble(0);
        assertEquals(expected, actual, 1e-4 * expected);
    }

    @Test
    void msePerPixelIsTheMeanSquaredErrorOfTheReconstruction() {
        for (SparsityPenalty penalty : SparsityPenalty.values()) {
            AutoencoderModel<SparseAutoencoderConfig> model =
                    Models.SPARSE_AE.build(config(List.of(16), penalty, 0.5), 3);
            INDArray x = test.features(range(40));
            INDArray r = model.reconstruct(x, new NoiseSource(1));
            double expected = Transforms.pow(r.sub(x), 2).meanNumber().doubleValue();
            double actual = model.graph()
                    .output(Map.of(AutoencoderModel.INPUT, x), "mse_per_pixel")
                    .get("mse_per_pixel")
                    .getDouble(0);
            assertEquals(expected, actual, 1e-5, penalty.name());
            if (penalty == SparsityPenalty.L1) {
                // softplus output: non-negative, and not bounded by 1
                assertTrue(r.minNumber().doubleValue() >= 0);
                double recon = model.evaluate(test.head(40), 40, 1).get("recon");
                assertEquals(0.5 * Transforms.pow(r.sub(x), 2).sumNumber().doubleValue() / 40, recon, 1e-3 * recon);
            }
        }
    }

    @Test
    void anOvercompleteCodeBuildsAndTrains() {
        AutoencoderModel<SparseAutoencoderConfig> model =
                Models.SPARSE_AE.build(config(List.of(1000), SparsityPenalty.KL, 3.0), 4);
        assertEquals(1000, model.codeSize());
        assertArrayEquals(
                new long[] {3, 1000},
                model.encode(test.features(new int[] {0, 1, 2})).shape());
        double before = model.evaluate(test.head(100), 100, 1).get("loss");
        new Trainer(new TrainerConfig(1, 32, Optimizer.ADAM, 1e-3, 0, 0, 4, 0, 0, 0)).fit(model, train.head(160), null);
        double after = model.evaluate(test.head(100), 100, 1).get("loss");
        assertTrue(Double.isFinite(after) && after < before, "loss " + before + " -> " + after);
    }

    @Test
    void l1PenaltyGivesSparserReluCodesThanNoPenalty() {
        AutoencoderModel<SparseAutoencoderConfig> penalised =
                Models.SPARSE_AE.build(config(List.of(32), SparsityPenalty.L1, 1.0), 5);
        AutoencoderModel<SparseAutoencoderConfig> free =
                Models.SPARSE_AE.build(config(List.of(32), SparsityPenalty.L1, 0.0), 5);
        new Trainer(trainer(2, 5)).fit(penalised, train, null);
        new Trainer(trainer(2, 5)).fit(free, train, null);
        double l1Penalised = penalised.evaluate(test, 100, 1).get("sparsity");
        double l1Free = free.evaluate(test, 100, 1).get("sparsity");
        assertTrue(
                l1Penalised < 0.5 * l1Free,
                "L1 of the code: " + l1Penalised + " with the penalty, " + l1Free + " without");
        INDArray codes = penalised.encode(test.features(range(test.size())));
        double zeros = codes.eq(0.0).castTo(DataType.FLOAT).meanNumber().doubleValue();
        double zerosFree = free.encode(test.features(range(test.size())))
                .eq(0.0)
                .castTo(DataType.FLOAT)
                .meanNumber()
                .doubleValue();
        System.out.printf(
                "L1 code: penalised %.3f (zeros %.2f), free %.3f (zeros %.2f)%n",
                l1Penalised, zeros, l1Free, zerosFree);
        assertTrue(zeros > zerosFree, "fraction of inactive units " + zeros + " vs " + zerosFree);
    }

    @Test
    void batchOfOneTrainsWithEitherPenalty() {
        for (SparsityPenalty penalty : SparsityPenalty.values()) {
            AutoencoderModel<SparseAutoencoderConfig> model =
                    Models.SPARSE_AE.build(config(List.of(8), penalty, 1.0), 6);
            var r = new Trainer(new TrainerConfig(1, 1, Optimizer.ADAM, 1e-3, 0, 0, 6, 0, 0, 0))
                    .fit(model, train.head(3), test.head(1));
            r.last().train().forEach((k, v) -> assertTrue(Double.isFinite(v), penalty + " " + k + " = " + v));
        }
    }
}
