package org.latentlab.models.vae;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.latentlab.core.AutoencoderModel;
import org.latentlab.core.Progress;
import org.latentlab.data.Batch;
import org.latentlab.data.DataBundle;
import org.latentlab.data.Datasets;
import org.latentlab.data.ImageDataset;
import org.latentlab.graph.Activation;
import org.latentlab.graph.WeightInit;
import org.latentlab.loss.Likelihood;
import org.latentlab.loss.NoiseSource;
import org.latentlab.models.Models;
import org.latentlab.train.Optimizer;
import org.latentlab.train.Trainer;
import org.latentlab.train.TrainerConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The likelihood, KL warm-up and convolutional options of the VAE family. */
class VaeFamilyTest {
    private static ImageDataset train;
    private static ImageDataset test;

    @BeforeAll
    static void loadSample() {
        DataBundle bundle = Datasets.load(Datasets.MNIST_SAMPLE);
        train = bundle.train().head(256);
        test = bundle.test().head(100);
    }

    private static Batch batch(ImageDataset data, int n) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        return new Batch(data.features(idx), data.labels(idx), idx);
    }

    /**
     * The default VAE after the refactoring into AbstractVae gives, to float precision, the
     * numbers the original single-class Vae gave (recorded before the change): same parameters,
     * same draws, same graph.
     */
    @Test
    void defaultVaeIsUnchangedByTheRefactoring() {
        Vae vae = (Vae) Models.VAE.build(VaeConfig.defaults(), 1);
        assertEquals(
                List.of(
                        "decoder/0/W",
                        "decoder/0/b",
                        "decoder/1/W",
                        "decoder/1/b",
                        "encoder/0/W",
                        "encoder/0/b",
                        "log_var/W",
                        "log_var/b",
                        "mu/W",
                        "mu/b"),
                vae.parameterNames().stream().sorted().toList());
        assertEquals(List.of(AutoencoderModel.INPUT, Vae.EPS), vae.trainingPlaceholders());
        Map<String, Double> before = vae.evaluate(test, 50, 2);
        assertEquals(548.7129516601562, before.get("loss"), 1e-3);
        assertEquals(0.08469219133257866, before.get("kl"), 1e-6);
        new Trainer(new TrainerConfig(1, 64, Optimizer.ADAM, 1e-3, 0, 0, 1, 0, 0, 0)).fit(vae, train, null);
        Map<String, Double> after = vae.evaluate(test, 50, 2);
        assertEquals(444.03123474121094, after.get("loss"), 1e-2);
        assertEquals(1.501615822315216, after.get("kl"), 1e-4);
    }

    @Test
    void klWarmupFeedsALinearlyRisingWeightAndTheFullBetaAtEvaluation() {
        VaeConfig cfg = new VaeConfig(784, List.of(32), 3, Activation.RELU, 4.0, WeightInit.PYTORCH_DEFAULT)
                .withKlSchedule(4.0, 100);
        Vae vae = (Vae) Models.VAE.build(cfg, 1);
        assertEquals(List.of(AutoencoderModel.INPUT, Vae.EPS, Vae.KL_WEIGHT), vae.trainingPlaceholders());
        assertEquals(0.0, vae.klWeight(new Progress(0, 0)));
        assertEquals(1.0, vae.klWeight(new Progress(0, 25)), 1e-12);
        assertEquals(2.0, vae.klWeight(new Progress(1, 50)), 1e-12);
        assertEquals(4.0, vae.klWeight(new Progress(3, 100)));
        assertEquals(4.0, vae.klWeight(new Progress(9, 5000)));
        assertEquals(4.0, vae.klWeight(Progress.DONE));

        // The fed weight is the one the graph uses: at step 0 the loss is the reconstruction alone,
        // at step 50 recon + 2 kl, in evaluation recon + 4 kl.
        Batch b = batch(test, 16);
        String[] terms = {AutoencoderModel.LOSS, Vae.RECON, Vae.KL};
        for (long step : new long[] {0, 50}) {
            INDArray[] in = vae.trainingInputs(b, new NoiseSource(3), new Progress(0, step));
            Map<String, INDArray> out = vae.graph()
                    .output(Map.of(AutoencoderModel.INPUT, in[0], Vae.EPS, in[1], Vae.KL_WEIGHT, in[2]), terms);
            double expected = out.get(Vae.RECON).getDouble(0)
                    + (step / 25.0) * out.get(Vae.KL).getDouble(0);
            assertEquals(expected, out.get(AutoencoderModel.LOSS).getDouble(0), 1e-3, "step " + step);
        }
        Map<String, Double> eval = vae.evaluate(test, 50, 1);
        assertEquals(eval.get("recon") + 4 * eval.get("kl"), eval.get("loss"), 1e-3);

        // Warm-up training runs (the placeholder is fed through the trainer) and lowers the loss.
        double before = eval.get("loss");
        new Trainer(new TrainerConfig(2, 32, Optimizer.ADAM, 1e-3, 0, 0, 1, 0, 0, 0)).fit(vae, train, null);
        double after = vae.evaluate(test, 50, 1).get("loss");
        assertTrue(after < before, before + " -> " + after);
    }

    @Test
    void gaussianDecoderLossMatchesPlainJava() {
        double sigma = 0.3;
        VaeConfig cfg = new VaeConfig(784, List.of(16), 2, Activation.TANH, 1.0, WeightInit.XAVIER_UNIFORM)
                .withLikelihood(Likelihood.GAUSSIAN, sigma);
        Vae vae = (Vae) Models.VAE.build(cfg, 5);
        Batch b = batch(test, 4);
        INDArray[] in = vae.trainingInputs(b, new NoiseSource(2), Progress.DONE);
        Map<String, INDArray> out = vae.graph()
                .output(
                        Map.of(AutoencoderModel.INPUT, in[0], Vae.EPS, in[1]),
                        AbstractVae.DECODER_OUTPUT,
                        Vae.RECON,
                        AutoencoderModel.RECONSTRUCTION);
        INDArray o = out.get(AbstractVae.DECODER_OUTPUT);
        INDArray mean = out.get(AutoencoderModel.RECONSTRUCTION);
        double total = 0;
        for (int n = 0; n < 4; n++) {
            for (int i = 0; i < 784; i++) {
                double m = 1 / (1 + Math.exp(-o.getDouble(n, i)));
                assertEquals(m, mean.getDouble(n, i), 1e-5);
                double d = in[0].getDouble(n, i) - m;
                total += d * d / (2 * sigma * sigma) + Math.log(sigma) + 0.5 * Math.log(2 * Math.PI);
            }
        }
        assertEquals(total / 4, out.get(Vae.RECON).getDouble(0), 1e-3 * Math.abs(total / 4));
        // And it trains.
        double before = vae.evaluate(test, 50, 1).get("loss");
        new Trainer(new TrainerConfig(2, 32, Optimizer.ADAM, 1e-3, 0, 0, 1, 0, 0, 0)).fit(vae, train, null);
        assertTrue(vae.evaluate(test, 50, 1).get("loss") < before);
    }

    @Test
    void oldSixArgumentConfigsAndConfigsWithoutTheNewKeysReadAsBernoulliWithoutWarmup() {
        VaeConfig c = new VaeConfig(784, List.of(8), 2, Activation.RELU, 1.0, WeightInit.PYTORCH_DEFAULT);
        assertEquals(Likelihood.BERNOULLI, c.likelihood());
        assertEquals(0, c.klWarmupSteps());
        String oldJson = "{\"type\": \"vae\", \"inputSize\": 784, \"hiddenSizes\": [8], \"latentSize\": 2,"
                + " \"activation\": \"RELU\", \"beta\": 1.0, \"weightInit\": \"PYTORCH_DEFAULT\"}";
        assertEquals(c, Models.registry().fromJson(oldJson, "old model.json"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.withKlSchedule(1.0, -1));
        assertTrue(e.getMessage().contains("klWarmupSteps"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> c.withLikelihood(Likelihood.GAUSSIAN, 0));
        assertTrue(e.getMessage().contains("sigma"), e.getMessage());
    }

    @Test
    void convVaeMapsFlatImagesThroughFeatureMapsOfTheDocumentedSizes() {
        ConvVaeConfig cfg = new ConvVaeConfig(
                784,
                1,
                List.of(4, 8),
                4,
                3,
                Activation.RELU,
                1.0,
                WeightInit.PYTORCH_DEFAULT,
                Likelihood.BERNOULLI,
                0.1,
                0);
        ConvVae model = (ConvVae) Models.CONV_VAE.build(cfg, 1);
        assertEquals(7, cfg.innerSide());
        // encoder conv0 [4,4,1,4], conv1 [4,4,4,8]; heads from 8*7*7 = 392; decoder projection to 392,
        // deconv0 [4,4,4,8] (out 4, in 8), deconv1 [4,4,1,4].
        assertArrayEquals(
                new long[] {392, 3}, model.graph().getVariable("mu/W").getArr().shape());
        assertArrayEquals(
                new long[] {3, 392},
                model.graph().getVariable("decoder/project/W").getArr().shape());
        assertArrayEquals(
                new long[] {4, 4, 1, 4},
                model.graph().getVariable("decoder/deconv1/W").getArr().shape());
        INDArray x = test.features(new int[] {0, 1});
        assertArrayEquals(
                new long[] {2, 784}, model.reconstruct(x, new NoiseSource(1)).shape());
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new ConvVaeConfig(
                        784,
                        1,
                        List.of(4, 8, 16),
                        4,
                        3,
                        Activation.RELU,
                        1.0,
                        WeightInit.PYTORCH_DEFAULT,
                        Likelihood.BERNOULLI,
                        0.1,
                        0));
        assertTrue(e.getMessage().contains("divisible"), e.getMessage());
    }
}
