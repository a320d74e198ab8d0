package org.latentlab.models.ae;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.latentlab.core.AutoencoderModel;
import org.latentlab.data.Corruption;
import org.latentlab.data.DataBundle;
import org.latentlab.data.Datasets;
import org.latentlab.data.ImageDataset;
import org.latentlab.eval.EvaluationOptions;
import org.latentlab.eval.EvaluationResult;
import org.latentlab.eval.Evaluator;
import org.latentlab.eval.ImageClassifier;
import org.latentlab.eval.Metrics;
import org.latentlab.graph.Activation;
import org.latentlab.graph.WeightInit;
import org.latentlab.loss.NoiseSource;
import org.latentlab.loss.ReconstructionKind;
import org.latentlab.models.Models;
import org.latentlab.train.Optimizer;
import org.latentlab.train.Trainer;
import org.latentlab.train.TrainerConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The evaluator's sample verdict and denoising sections on autoencoders trained briefly on the MNIST sample: lecture
 * 003's random codes into the decoder, and lecture 000's denoising.
 */
class GenerationAndDenoisingEvaluationTest {
    private static final Corruption MASKING = new Corruption(Corruption.Kind.MASKING, 0.5);
    private static ImageDataset train;
    private static ImageDataset test;
    private static Evaluator.Judge judge;

    @BeforeAll
    static void setUp() {
        DataBundle bundle = Datasets.load(Datasets.MNIST_SAMPLE);
        train = bundle.train();
        test = bundle.test();
        judge = new Evaluator.Judge(ImageClassifier.train(train, 128, 5, 9), "loaded", 0);
    }

    private static AutoencoderConfig architecture() {
        return new AutoencoderConfig(
                784,
                List.of(128, 16),
                Activation.RELU,
                Activation.IDENTITY,
                Activation.SIGMOID,
                ReconstructionKind.BCE,
                WeightInit.PYTORCH_DEFAULT);
    }

    private static <M extends AutoencoderModel<?>> M trained(M model) {
        new Trainer(new TrainerConfig(5, 50, Optimizer.ADAM, 3e-3, 0, 0, 11, 0, 0, 0)).fit(model, train, null);
        return model;
    }

    private static EvaluationOptions options() {
        return EvaluationOptions.defaults()
                .withImportanceSampling(0, 0)
                .withProbes(0, 0)
                .withJacobian(0, 1e-2, 0)
                .withClassifierEpochs(0)
                .withSampleImages(500)
                .withDenoising(MASKING);
    }

    /**
     * Codes from a Gaussian fitted to a trained autoencoder's training codes decode into digits of every class, more
     * of them recognised with confidence than codes from N(0, I) give. An untrained decoder's grey blur is one class
     * to the classifier: the same class for every code (entropy near 0), and never with probability 0.9 or more.
     * (Its mean top probability is no lower than the trained model's, about 0.75 against 0.6 here: a classifier of
     * real digits is confidently wrong about what is no digit at all, so confidence alone does not rank samplers.)
     */
    @Test
    void aGaussianFittedToTrainedCodesGivesRecognisableDigitsOfEveryClass() {
        EvaluationResult untrained =
                Evaluator.evaluate(Models.AE.build(architecture(), 5), train, test, options(), judge);
        EvaluationResult r =
                Evaluator.evaluate(trained(Models.AE.build(architecture(), 5)), train, test, options(), judge);
        EvaluationResult.SampleVerdict before = untrained.samples();
        EvaluationResult.SampleVerdict after = r.samples();
        assertNull(after.prior(), "a plain autoencoder has no prior");
        assertEquals(train.size(), after.fittedCodes());

        assertTrue(before.fitted().classEntropy() < 0.5, "untrained: " + before.fitted());
        assertTrue(after.fitted().classEntropy() > 1.5, "trained: " + after.fitted());
        assertTrue(
                after.fitted().confidentShare() > before.fitted().confidentShare() + 0.05,
                "trained " + after.fitted() + ", untrained " + before.fitted());
        // Lecture 003: the code space of an autoencoder is not N(0, I); a fitted Gaussian samples it better.
        assertTrue(
                after.fitted().confidence() > after.normal().confidence() + 0.03,
                "fitted " + after.fitted() + ", N(0, I) " + after.normal());
        assertTrue(
                after.fitted().classEntropy() > after.normal().classEntropy(),
                "fitted " + after.fitted() + ", N(0, I) " + after.normal());
        // The reference: real test digits.
        assertTrue(after.real().classEntropy() > 2.0, after.real().toString());
        assertEquals(after.real().confidence(), before.real().confidence());

        // Denoising for a plain autoencoder: trained, it removes some masking noise; untrained, it outputs grey.
        assertTrue(
                r.denoising().msePerPixel() < r.denoising().noisyMsePerPixel(),
                r.denoising().toString());
        assertTrue(
                untrained.denoising().msePerPixel() > untrained.denoising().noisyMsePerPixel(),
                untrained.denoising().toString());
    }

    /**
     * A denoising autoencoder trained on masking noise: its reconstructions of masked test images are closer to the
     * clean images than the masked images are, and its reconstruction corrupts nothing a second time.
     */
    @Test
    void aTrainedDenoisingAutoencoderReconstructsCleanerImagesThanItIsGiven() {
        DenoisingAutoencoder dae = trained(
                (DenoisingAutoencoder) Models.DAE.build(DenoisingAutoencoderConfig.of(architecture(), MASKING), 5));
        EvaluationOptions opts = options().withSampleImages(0).withSeed(7);
        EvaluationResult.DenoisingScore d =
                Evaluator.evaluate(dae, train, test, opts).denoising();
        assertEquals(MASKING, d.corruption());
        assertTrue(d.msePerPixel() < 0.85 * d.noisyMsePerPixel(), d.toString());

        // Directly: the documented draw, and the graph's reconstruction of exactly those inputs.
        INDArray clean = test.features();
        INDArray noisy = MASKING.apply(clean, new NoiseSource(7 + Evaluator.DENOISING_STREAM));
        INDArray direct = dae.graph()
                .output(Map.of(AutoencoderModel.INPUT, noisy), AutoencoderModel.RECONSTRUCTION)
                .get(AutoencoderModel.RECONSTRUCTION);
        assertEquals(Metrics.mean(Metrics.msePerPixel(clean, noisy)), d.noisyMsePerPixel(), 1e-12);
        assertEquals(Metrics.mean(Metrics.msePerPixel(clean, direct)), d.msePerPixel(), 1e-9);
        // reconstruct() takes its input as given, whatever noise it is handed: no second corruption.
        assertEquals(direct, dae.reconstruct(noisy, new NoiseSource(1)));
        assertEquals(direct, dae.reconstruct(noisy, new NoiseSource(2)));
    }
}
