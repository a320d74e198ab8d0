package org.latentlab.models.ae;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.latentlab.core.AutoencoderModel;
import org.latentlab.core.ModelRegistry;
import org.latentlab.data.DataBundle;
import org.latentlab.data.Datasets;
import org.latentlab.data.ImageDataset;
import org.latentlab.graph.Activation;
import org.latentlab.graph.WeightInit;
import org.latentlab.loss.NoiseSource;
import org.latentlab.models.Models;
import org.latentlab.train.Optimizer;
import org.latentlab.train.Trainer;
import org.latentlab.train.TrainerConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The penalty of the {@link ContractiveAutoencoder} against a brute-force Jacobian: central
 * differences, in double precision and plain Java, of the encoder rebuilt from the model's
 * weight arrays, one input pixel at a time.
 */
class ContractiveAutoencoderTest {
    private static final ModelRegistry REGISTRY = Models.registry();
    private static ImageDataset train;
    private static ImageDataset test;

    @BeforeAll
    static void loadSample() {
        DataBundle bundle = Datasets.load(Datasets.MNIST_SAMPLE);
        train = bundle.train().head(256);
        test = bundle.test().head(100);
    }

    private static ContractiveAutoencoderConfig config(List<Integer> sizes, Activation activation, double lambda) {
        return new ContractiveAutoencoderConfig(784, sizes, activation, lambda, 2, 0.01, WeightInit.XAVIER_UNIFORM);
    }

    private static TrainerConfig trainer(int epochs, long seed) {
        return new TrainerConfig(epochs, 32, Optimizer.ADAM, 3e-3, 0, 0, seed, 0, 0, 0);
    }

    /** ||J_f(x)||_F^2 of the model's encoder at {@code x}, by central differences over every pixel. */
    static double bruteForceJacobianNorm(AutoencoderModel<ContractiveAutoencoderConfig> model, double[] x) {
        int layers = model.config().encoderSizes().size();
        List<double[][]> weights = new ArrayList<>();
        List<double[]> biases = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            weights.add(
                    model.graph().getVariable("encoder/" + l + "/W").getArr().toDoubleMatrix());
            biases.add(model.graph().getVariable("encoder/" + l + "/b").getArr().toDoubleVector());
        }
        Activation act = model.config().activation();
        double delta = 1e-5;
        double norm = 0;
        for (int i = 0; i < x.length; i++) {
            double[] plus = x.clone();
            double[] minus = x.clone();
            plus[i] += delta;
            minus[i] -= delta;
            double[] hp = encode(plus, weights, biases, act);
            double[] hm = encode(minus, weights, biases, act);
            for (int j = 0; j < hp.length; j++) {
                double d = (hp[j] - hm[j]) / (2 * delta);
                norm += d * d;
            }
        }
        return norm;
    }

    private static double[] encode(double[] x, List<double[][]> weights, List<double[]> biases, Activation act) {
        double[] h = x;
        for (int l = 0; l < weights.size(); l++) {
            double[][] w = weights.get(l);
            double[] b = biases.get(l);
            double[] out = b.clone();
            for (int i = 0; i < h.length; i++) {
                if (h[i] != 0) {
                    for (int j = 0; j < out.length; j++) {
                        out[j] += h[i] * w[i][j];
                    }
                }
            }
            for (int j = 0; j < out.length; j++) {
                out[j] = switch (act) {
                    case SIGMOID -> 1 / (1 + Math.exp(-out[j]));
                    case TANH -> Math.tanh(out[j]);
                    default -> throw new IllegalArgumentException("brute force supports sigmoid and tanh, not " + act);
                };
            }
            h = out;
        }
        return h;
    }

    private static double[] row(int i) {
        return test.features(new int[] {i}).toDoubleVector();
    }

    @Test
    void exactPenaltyOfASigmoidLayerEqualsTheBruteForceJacobianNorm() {
        AutoencoderModel<ContractiveAutoencoderConfig> model =
                Models.CAE.build(config(List.of(16), Activation.SIGMOID, 0.1), 1);
        new Trainer(trainer(1, 1)).fit(model, train.head(128), null);
        assertEquals(List.of(AutoencoderModel.INPUT), model.trainingPlaceholders(), "the exact penalty needs no noise");
        int[] rows = {0, 1, 2, 3};
        INDArray perExample = model.graph()
                .output(
                        Map.of(AutoencoderModel.INPUT, test.features(rows)),
                        ContractiveAutoencoder.CONTRACTIVE_PER_EXAMPLE)
                .get(ContractiveAutoencoder.CONTRACTIVE_PER_EXAMPLE);
        assertArrayEquals(new long[] {4}, perExample.shape());
        for (int r : rows) {
            double expected = bruteForceJacobianNorm(model, row(r));
            assertTrue(expected > 0);
            assertEquals(expected, perExample.getDouble(r), 1e-3 * expected, "example " + r);
        }
    }

    @Test
    void finiteDifferenceEstimateOfADeeperEncoderApproachesTheBruteForceJacobianNorm() {
        AutoencoderModel<ContractiveAutoencoderConfig> model =
                Models.CAE.build(config(List.of(32, 8), Activation.TANH, 0.1), 2);
        new Trainer(trainer(1, 2)).fit(model, train.head(128), null);
        List<String> placeholders = model.trainingPlaceholders();
        assertEquals(List.of(AutoencoderModel.INPUT, "direction_0", "direction_1"), placeholders);
        // 512 copies of one example, each with its own 2 directions: the mean of the per-row
        // estimates averages 1024 directions; its relative standard deviation is at most
        // sqrt(2 / 1024) = 4.4 %, so 15 % is over three standard deviations.
        int copies = 512;
        NoiseSource noise = new NoiseSource(11);
        for (int r : new int[] {0, 1, 2}) {
            double expected = bruteForceJacobianNorm(model, row(r));
            Map<String, INDArray> feeds = new HashMap<>();
            feeds.put(AutoencoderModel.INPUT, test.features(new int[] {r}).repeat(0, copies));
            for (int k = 1; k < placeholders.size(); k++) {
                feeds.put(placeholders.get(k), noise.standardNormal(copies, 784));
            }
            double estimate = model.graph()
                    .output(feeds, ContractiveAutoencoder.CONTRACTIVE_PER_EXAMPLE)
                    .get(ContractiveAutoencoder.CONTRACTIVE_PER_EXAMPLE)
                    .meanNumber()
                    .doubleValue();
            System.out.printf("example %d: brute force %.5f, estimate %.5f%n", r, expected, estimate);
            assertEquals(expected, estimate, 0.15 * expected, "example " + r);
        }
    }

    // An unpenalised sigmoid autoencoder contracts too, as its units saturate during training, so
    // the gap is widest early: each pair is compared after the same short training (same seed).

    @Test
    void trainingWithTheExactPenaltyGivesAMoreContractiveEncoderThanWithout() {
        double with = meanJacobianNormAfterTraining(config(List.of(32), Activation.SIGMOID, 100.0), 1);
        double without = meanJacobianNormAfterTraining(config(List.of(32), Activation.SIGMOID, 0.0), 1);
        System.out.printf(
                "exact penalty: ||J||^2 on test inputs %.3f with lambda 100, %.3f with lambda 0%n", with, without);
        assertTrue(with < 0.6 * without, "||J||^2 " + with + " with the penalty, " + without + " without");
    }

    @Test
    void trainingWithTheEstimatedPenaltyGivesAMoreContractiveEncoderThanWithout() {
        double with = meanJacobianNormAfterTraining(config(List.of(32, 8), Activation.TANH, 30.0), 1);
        double without = meanJacobianNormAfterTraining(config(List.of(32, 8), Activation.TANH, 0.0), 1);
        System.out.printf(
                "estimated penalty: ||J||^2 on test inputs %.3f with lambda 30, %.3f with lambda 0%n", with, without);
        assertTrue(with < 0.5 * without, "||J||^2 " + with + " with the penalty, " + without + " without");
    }

    /** Trains with a fixed seed, then averages the brute-force ||J||^2 over 10 test inputs. */
    private static double meanJacobianNormAfterTraining(ContractiveAutoencoderConfig config, int epochs) {
        AutoencoderModel<ContractiveAutoencoderConfig> model = Models.CAE.build(config, 3);
        new Trainer(trainer(epochs, 3)).fit(model, train, null);
        double sum = 0;
        for (int r = 0; r < 10; r++) {
            sum += bruteForceJacobianNorm(model, row(r));
        }
        return sum / 10;
    }

    @Test
    void batchOfOneTrainsWithEitherPenalty() {
        for (ContractiveAutoencoderConfig c :
                List.of(config(List.of(8), Activation.SIGMOID, 1.0), config(List.of(8, 4), Activation.TANH, 1.0))) {
            AutoencoderModel<ContractiveAutoencoderConfig> model = Models.CAE.build(c, 6);
            var r = new Trainer(new TrainerConfig(1, 1, Optimizer.ADAM, 1e-3, 0, 0, 6, 0, 0, 0))
                    .fit(model, train.head(3), test.head(1));
            r.last().train().forEach((k, v) -> assertTrue(Double.isFinite(v), c.encoderSizes() + " " + k + " = " + v));
        }
    }
}
