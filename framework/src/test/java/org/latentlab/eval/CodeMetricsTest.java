package org.latentlab.eval;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.latentlab.core.AutoencoderModel;
import org.latentlab.core.ModelConfig;
import org.latentlab.core.ModelType;
import org.latentlab.data.DataBundle;
import org.latentlab.data.Datasets;
import org.latentlab.data.ImageDataset;
import org.latentlab.graph.Activation;
import org.latentlab.graph.Dense;
import org.latentlab.graph.GraphContext;
import org.latentlab.graph.WeightInit;
import org.latentlab.loss.NoiseSource;
import org.latentlab.loss.ReconstructionLoss;
import org.latentlab.train.TinyAutoencoder;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** The code metrics of the evaluator: sparsity, the encoder's Jacobian norm, the reconstruction classifier. */
class CodeMetricsTest {
    private static ImageDataset train;
    private static ImageDataset test;

    @BeforeAll
    static void loadSample() {
        DataBundle bundle = Datasets.load(Datasets.MNIST_SAMPLE);
        train = bundle.train();
        test = bundle.test();
    }

    /** Code = sigmoid(x W + b), one layer: its Jacobian norm has a closed form (Rifai et al. 2011). */
    static final class SigmoidCodeAutoencoder extends AutoencoderModel<SigmoidCodeAutoencoder.Config> {
        record Config(int inputSize, int codeSize) implements ModelConfig {}

        static final ModelType<Config> TYPE = new ModelType<>(
                "sigmoid-code", "test model", Config.class, new Config(784, 16), SigmoidCodeAutoencoder::new);

        SigmoidCodeAutoencoder(Config config, SameDiff sd) {
            super(config, sd);
        }

        @Override
        protected void define(GraphContext g) {
            SameDiff sd = g.sd();
            SDVariable x = sd.placeHolder(INPUT, DataType.FLOAT, -1, config.inputSize());
            Dense enc = Dense.create(
                    g, "enc", config.inputSize(), config.codeSize(), Activation.SIGMOID, WeightInit.XAVIER_UNIFORM);
            Dense dec = Dense.create(
                    g, "dec", config.codeSize(), config.inputSize(), Activation.SIGMOID, WeightInit.XAVIER_UNIFORM);
            SDVariable code = enc.apply(x, CODE);
            SDVariable out = dec.apply(code).rename(RECONSTRUCTION);
            SDVariable zIn = sd.placeHolder(DECODER_INPUT, DataType.FLOAT, -1, config.codeSize());
            dec.apply(zIn, DECODED);
            ReconstructionLoss.squaredError(sd, "se", out, x).mean("mse");
            sd.getVariable("mse").mul(LOSS, 1.0);
        }

        @Override
        public List<String> lossTerms() {
            return List.of(LOSS, "mse");
        }

        @Override
        public int codeSize() {
            return config.codeSize();
        }
    }

    @Test
    void sparsityOfAHandWrittenCodeMatrix() {
        // 3 images x 2 units: rho-hat = ((0.005 + 0.995 + 0.5) / 3, (-0.001 + 0.3 + 0) / 3) = (0.5, 0.299 / 3).
        double[][] a = {{0.005, -0.001}, {0.995, 0.3}, {0.5, 0.0}};
        EvaluationResult.Sparsity s = Evaluator.sparsity(Nd4j.createFromArray(a), 0.01);
        assertArrayEquals(new double[] {0.5, 0.299 / 3}, s.unitActivations(), 1e-12);
        assertEquals((0.5 + 0.299 / 3) / 2, s.meanActivation(), 1e-12);
        assertEquals(0.299 / 3, s.minUnitActivation(), 1e-12);
        assertEquals(0.5, s.maxUnitActivation(), 1e-12);
        // 0.005, -0.001 and 0.0 are below 0.01 in magnitude: 3 of 6.
        assertEquals(0.5, s.nearZeroFraction(), 1e-12);
        assertEquals(0.01, s.threshold());
        // Below 0.004: only -0.001 and 0.0.
        assertEquals(2.0 / 6, Evaluator.sparsity(Nd4j.createFromArray(a), 0.004).nearZeroFraction(), 1e-12);
    }

    @Test
    void theJacobianEstimateOfASigmoidEncoderMatchesTheClosedForm() {
        AutoencoderModel<?> model = SigmoidCodeAutoencoder.TYPE.build(new SigmoidCodeAutoencoder.Config(784, 16), 7);
        int images = 200;
        // Exact, in double: ||J(x)||_F^2 = sum_j (h_j (1 - h_j))^2 sum_i W_ij^2, averaged over the images.
        double[][] w = model.graph()
                .getVariable("enc/W")
                .getArr()
                .castTo(DataType.DOUBLE)
                .toDoubleMatrix();
        double[] columnNorms = new double[16];
        for (double[] row : w) {
            for (int j = 0; j < 16; j++) {
                columnNorms[j] += row[j] * row[j];
            }
        }
        double[][] h = model.encode(test.head(images).features())
                .castTo(DataType.DOUBLE)
                .toDoubleMatrix();
        double exact = 0;
        for (double[] code : h) {
            for (int j = 0; j < 16; j++) {
                double slope = code[j] * (1 - code[j]);
                exact += slope * slope * columnNorms[j];
            }
        }
        exact /= images;

        // 8 directions on 200 images: the mean's relative standard deviation is at most sqrt(2 / 1600) = 3.5%,
        // and far less with 16 units of similar slope; the step's O(h^2) bias and FLOAT rounding are below 0.1%.
        EvaluationOptions opts = EvaluationOptions.defaults().withJacobian(8, 1e-2, images);
        EvaluationResult.Jacobian j = Evaluator.jacobian(model, test, opts);
        assertEquals(8, j.probes());
        assertEquals(images, j.images());
        assertEquals(exact, j.frobeniusSquared(), 0.03 * exact, "exact " + exact + ", estimate " + j);
        assertTrue(j.standardError() > 0 && j.standardError() < 0.05 * exact, j.toString());
        // Many directions: closer.
        EvaluationResult.Jacobian many =
                Evaluator.jacobian(model, test, EvaluationOptions.defaults().withJacobian(128, 1e-2, images));
        assertEquals(exact, many.frobeniusSquared(), 0.01 * exact, "exact " + exact + ", estimate " + many);
        // Same seed, same numbers; another seed, other directions.
        assertEquals(j, Evaluator.jacobian(model, test, opts));
        assertNotEquals(
                j.frobeniusSquared(),
                Evaluator.jacobian(model, test, opts.withSeed(2)).frobeniusSquared());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EvaluationOptions.defaults()
                .withJacobian(4, 0, 0));
        assertTrue(e.getMessage().contains("jacobianStep"), e.getMessage());
    }

    @Test
    void evaluateReportsTheCodeMetricsAndTheClassifierOnReconstructions() {
        AutoencoderModel<?> model = TinyAutoencoder.TYPE.build(new TinyAutoencoder.Config(784, 12, 1.0), 4);
        EvaluationOptions opts = EvaluationOptions.defaults()
                .withImportanceSampling(0, 0)
                .withProbes(0, 0)
                .withSparsityThreshold(0.05)
                .withJacobian(2, 1e-2, 100)
                .withClassifierEpochs(0);
        ImageClassifier judge = ImageClassifier.train(train, 64, 2, 9);
        EvaluationResult r = Evaluator.evaluate(model, train, test, opts, new Evaluator.Judge(judge, "loaded", 0));

        // Sparsity, against the codes of the whole test set in one call.
        double[][] codes = model.encode(test.features()).castTo(DataType.DOUBLE).toDoubleMatrix();
        double sum = 0;
        long below = 0;
        for (double[] row : codes) {
            for (double v : row) {
                sum += v;
                below += Math.abs(v) < 0.05 ? 1 : 0;
            }
        }
        assertEquals(sum / (codes.length * 12.0), r.sparsity().meanActivation(), 1e-6);
        assertEquals((double) below / (codes.length * 12.0), r.sparsity().nearZeroFraction(), 1e-12);
        assertEquals(12, r.sparsity().unitActivations().length);
        assertEquals(Evaluator.jacobian(model, test, opts), r.jacobian());

        // The classifier: its accuracy on the real images and on the reconstructions, recomputed here.
        int[] predicted = judge.predict(model.reconstruct(test.features(), new NoiseSource(0)));
        int hits = 0;
        for (int i = 0; i < predicted.length; i++) {
            hits += predicted[i] == test.label(i) ? 1 : 0;
        }
        EvaluationResult.ReconstructionClassifier c = r.classifier();
        assertEquals("loaded", c.source());
        assertEquals(test.size(), c.testImages());
        assertEquals(judge.accuracy(test), c.realAccuracy());
        assertEquals((double) hits / test.size(), c.reconstructionAccuracy());
        assertTrue(c.realAccuracy() > 0.6, c.toString());

        var headline = r.headline();
        assertEquals(r.sparsity().meanActivation(), headline.get("code_mean_activation"));
        assertEquals(r.sparsity().nearZeroFraction(), headline.get("code_near_zero_fraction"));
        assertEquals(r.jacobian().frobeniusSquared(), headline.get("jacobian_frobenius_sq"));
        assertEquals(c.reconstructionAccuracy(), headline.get("classifier_recon_accuracy"));
        assertEquals(c.realAccuracy(), headline.get("classifier_real_accuracy"));
        assertEquals(r.toJson(), EvaluationResult.fromJson(r.toJson(), "test").toJson());

        // Skipped: no Jacobian, no classifier; trained here when asked, the same for the same seed.
        EvaluationResult none = Evaluator.evaluate(model, train, test, opts.withJacobian(0, 1e-2, 0));
        assertNull(none.jacobian());
        assertNull(none.classifier());
        assertFalse(none.headline().containsKey("classifier_recon_accuracy"));
        EvaluationOptions trainIt = opts.withJacobian(0, 1e-2, 0).withClassifierEpochs(1);
        EvaluationResult.ReconstructionClassifier trained =
                Evaluator.evaluate(model, train, test, trainIt).classifier();
        assertEquals("trained", trained.source());
        assertEquals(1, trained.epochs());
        assertEquals(trained, Evaluator.evaluate(model, train, test, trainIt).classifier());
    }

    @Test
    void anEvaluationWrittenBeforeTheseMetricsStillReads() throws Exception {
        AutoencoderModel<?> model = TinyAutoencoder.TYPE.build(new TinyAutoencoder.Config(784, 4, 1.0), 5);
        EvaluationOptions opts = EvaluationOptions.defaults()
                .withImportanceSampling(0, 0)
                .withProbes(0, 0)
                .withJacobian(1, 1e-2, 10)
                .withClassifierEpochs(0);
        EvaluationResult r = Evaluator.evaluate(model, train, test, opts);
        ObjectMapper json = new ObjectMapper();
        ObjectNode old = (ObjectNode) json.readTree(r.toJson());
        old.remove(List.of("sparsity", "jacobian", "classifier"));
        ((ObjectNode) old.get("options"))
                .remove(List.of(
                        "sparsity_threshold",
                        "jacobian_probes",
                        "jacobian_step",
                        "jacobian_images",
                        "classifier_epochs"));
        EvaluationResult back = EvaluationResult.fromJson(json.writeValueAsString(old), "old evaluation.json");
        assertNull(back.sparsity());
        assertNull(back.jacobian());
        assertEquals(0, back.options().jacobianProbes());
        assertEquals(r.reconstruction(), back.reconstruction());
        assertFalse(back.headline().containsKey("code_mean_activation"));
        assertTrue(back.headline().containsKey("recon_mse_per_pixel"));
    }
}
