package org.latentlab.models.vae;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
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
import org.latentlab.eval.ImageClassifier;
import org.latentlab.graph.Activation;
import org.latentlab.graph.WeightInit;
import org.latentlab.loss.Likelihood;
import org.latentlab.loss.NoiseSource;
import org.latentlab.models.Models;
import org.latentlab.train.Optimizer;
import org.latentlab.train.Trainer;
import org.latentlab.train.TrainerConfig;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ConditionalVaeTest {
    private static ImageDataset train;
    private static ImageDataset test;

    @BeforeAll
    static void loadSample() {
        DataBundle bundle = Datasets.load(Datasets.MNIST_SAMPLE);
        train = bundle.train();
        test = bundle.test();
    }

    private static ConditionalVaeConfig config(int hidden, int latent) {
        return new ConditionalVaeConfig(
                784,
                List.of(hidden),
                latent,
                10,
                Activation.RELU,
                1.0,
                WeightInit.PYTORCH_DEFAULT,
                Likelihood.BERNOULLI,
                0.1,
                0);
    }

    /**
     * The point of a cVAE: images generated for class c look like c. Judged by an MLP classifier
     * trained only on the sample's real training images (independent of the cVAE).
     */
    @Test
    void generatedDigitsAreClassifiedAsTheRequestedClass() {
        ConditionalVae cvae = (ConditionalVae) Models.CVAE.build(config(128, 2), 1);
        new Trainer(new TrainerConfig(10, 64, Optimizer.ADAM, 2e-3, 0, 0, 1, 0, 0, 0)).fit(cvae, train, null);
        ImageClassifier judge = ImageClassifier.train(train, 64, 10, 7);
        double judgeAccuracy = judge.accuracy(test);
        double[] shares = judge.conditionalAccuracy(cvae, 50, new NoiseSource(3));
        double mean = Arrays.stream(shares).average().orElseThrow();
        System.out.printf(
                "cvae sample test: classifier test accuracy %.3f, generated-as-requested %.3f, per class %s%n",
                judgeAccuracy, mean, Arrays.toString(shares));
        assertTrue(judgeAccuracy > 0.8, "the judge itself is weak: " + judgeAccuracy);
        // Chance is 0.10. Observed: 0.85 (classifier 0.88 on the 500 test images); with latent 8
        // instead of 2 only 0.43, as the decoder then relies less on the label.
        assertTrue(mean > 0.6, "generated digits classified as requested: " + mean + " " + Arrays.toString(shares));

        // The true label explains the image better than a wrong one: lower conditional neg ELBO.
        int[] idx = new int[200];
        Arrays.setAll(idx, i -> i);
        int[] labels = test.labels(idx);
        int[] wrong = Arrays.stream(labels).map(l -> (l + 1) % 10).toArray();
        double right = negElbo(cvae, new Batch(test.features(idx), labels, idx));
        double shifted = negElbo(cvae, new Batch(test.features(idx), wrong, idx));
        assertTrue(right < shifted - 5, "true labels " + right + " vs wrong labels " + shifted);

        // The Batch overloads (used for run pictures and plots) condition on each row's own label.
        Batch batch = test.batch(idx);
        assertEquals(cvae.encode(batch.features(), cvae.oneHot(labels)), cvae.encode(batch));
        assertEquals(
                cvae.reconstruct(batch.features(), labels, new NoiseSource(5)),
                cvae.reconstruct(batch, new NoiseSource(5)));
        assertNotEquals(
                cvae.reconstruct(batch.features(), wrong, new NoiseSource(5)),
                cvae.reconstruct(batch, new NoiseSource(5)));
    }

    private static double negElbo(ConditionalVae model, Batch batch) {
        Map<String, INDArray> out = model.graph().output(model.feeds(batch, new NoiseSource(1)), Vae.RECON, Vae.KL);
        return out.get(Vae.RECON).getDouble(0) + out.get(Vae.KL).getDouble(0);
    }

    @Test
    void theConditionReachesEncoderAndDecoderAndDefaultsAreDocumented() {
        ConditionalVae cvae = (ConditionalVae) Models.CVAE.build(config(16, 3), 2);
        assertEquals(List.of(AutoencoderModel.INPUT, Vae.EPS, ConditionalVae.CONDITION), cvae.trainingPlaceholders());
        INDArray z = new NoiseSource(1).standardNormal(4, 3);
        INDArray asZero = cvae.decode(z, new int[] {0, 0, 0, 0});
        INDArray asSeven = cvae.decode(z, new int[] {7, 7, 7, 7});
        assertNotEquals(asZero, asSeven);
        // decode(codes) without labels: round-robin classes 0, 1, 2, 3.
        assertEquals(cvae.decode(z, new int[] {0, 1, 2, 3}), cvae.decode(z));
        // sample(n) draws z like sampleClass and labels round-robin.
        assertEquals(
                cvae.decode(new NoiseSource(5).standardNormal(4, 3), new int[] {0, 1, 2, 3}),
                cvae.sample(4, new NoiseSource(5)));
        assertEquals(
                cvae.decode(new NoiseSource(5).standardNormal(3, 3), new int[] {6, 6, 6}),
                cvae.sampleClass(6, 3, new NoiseSource(5)));
        INDArray x = test.features(new int[] {0, 1});
        assertNotEquals(cvae.encode(x, new int[] {0, 0}), cvae.encode(x, new int[] {5, 5}));
        // encode(x) without labels = the uniform "unknown class" condition.
        INDArray uniform = Nd4j.valueArrayOf(new long[] {2, 10}, 0.1f);
        assertEquals(cvae.encode(x, uniform), cvae.encode(x));
        // The training feed is the one-hot label of each image.
        Batch b = new Batch(x, new int[] {3, 9}, new int[] {0, 1});
        INDArray cond = cvae.trainingInputs(b, new NoiseSource(1), Progress.DONE)[2];
        assertEquals(cvae.oneHot(new int[] {3, 9}), cond);
        assertEquals(1.0, cond.getDouble(0, 3));
        assertEquals(1.0, cond.getDouble(1, 9));
        assertEquals(2.0, cond.sumNumber().doubleValue());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cvae.oneHot(new int[] {10}));
        assertTrue(e.getMessage().contains("label 10"), e.getMessage());
    }
}
