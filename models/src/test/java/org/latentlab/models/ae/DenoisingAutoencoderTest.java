package org.latentlab.models.ae;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.latentlab.core.AutoencoderModel;
import org.latentlab.core.ModelRegistry;
import org.latentlab.core.Progress;
import org.latentlab.data.Batch;
import org.latentlab.data.Corruption;
import org.latentlab.data.DataBundle;
import org.latentlab.data.Datasets;
import org.latentlab.data.ImageDataset;
import org.latentlab.graph.Activation;
import org.latentlab.graph.WeightInit;
import org.latentlab.loss.NoiseSource;
import org.latentlab.loss.ReconstructionKind;
import org.latentlab.models.Models;
import org.latentlab.run.ConfigPaths;
import org.latentlab.train.Optimizer;
import org.latentlab.train.Trainer;
import org.latentlab.train.TrainerConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

class DenoisingAutoencoderTest {
    private static final ModelRegistry REGISTRY = Models.registry();
    private static final Corruption GAUSSIAN = new Corruption(Corruption.Kind.GAUSSIAN, 0.4);
    private static ImageDataset train;
    private static ImageDataset test;

    @BeforeAll
    static void loadSample() {
        DataBundle bundle = Datasets.load(Datasets.MNIST_SAMPLE);
        train = bundle.train().head(500);
        test = bundle.test().head(200);
    }

    private static AutoencoderConfig architecture() {
        return new AutoencoderConfig(
                784,
                List.of(64, 16),
                Activation.RELU,
                Activation.IDENTITY,
                Activation.SIGMOID,
                ReconstructionKind.BCE,
                WeightInit.PYTORCH_DEFAULT);
    }

    private static TrainerConfig trainer() {
        return new TrainerConfig(3, 25, Optimizer.ADAM, 3e-3, 0, 0, 11, 0, 0, 0);
    }

    private static double mse(INDArray a, INDArray b) {
        double d = a.sub(b).norm2Number().doubleValue();
        return d * d / a.length();
    }

    /**
     * Vincent et al.'s claim in miniature: after a little training the output for a corrupted
     * input is closer to the clean input than the corrupted input is, and closer than the
     * output of a plain autoencoder trained the same way on clean inputs.
     */
    @Test
    void denoisesCorruptedInputsBetterThanThePlainAutoencoder() {
        AutoencoderModel<DenoisingAutoencoderConfig> dae =
                Models.DAE.build(DenoisingAutoencoderConfig.of(architecture(), GAUSSIAN), 5);
        AutoencoderModel<AutoencoderConfig> ae = Models.AE.build(architecture(), 5);
        new Trainer(trainer()).fit(dae, train, null);
        new Trainer(trainer()).fit(ae, train, null);

        INDArray clean = test.features(range(test.size()));
        INDArray corrupted = GAUSSIAN.apply(clean, new NoiseSource(99));
        double corruptedMse = mse(corrupted, clean);
        double denoisedMse = mse(dae.reconstruct(corrupted, new NoiseSource(1)), clean);
        double plainMse = mse(ae.reconstruct(corrupted, new NoiseSource(1)), clean);
        assertTrue(
                denoisedMse < 0.5 * corruptedMse, "dae output " + denoisedMse + " vs corrupted input " + corruptedMse);
        assertTrue(denoisedMse < plainMse, "dae " + denoisedMse + " vs plain ae " + plainMse + " on corrupted inputs");
        // Evaluation measures denoising: its mse_per_pixel is that of outputs from corrupted inputs.
        assertEquals(denoisedMse, dae.evaluate(test, 100, 7).get("mse_per_pixel"), 0.2 * denoisedMse);
    }

    @Test
    void trainingFeedsCorruptedInputsAndCleanTargetsDrawnFromTheNoiseSource() {
        AutoencoderModel<DenoisingAutoencoderConfig> dae =
                Models.DAE.build(DenoisingAutoencoderConfig.of(architecture(), GAUSSIAN), 1);
        assertEquals(List.of(AutoencoderModel.INPUT, DenoisingAutoencoder.TARGET), dae.trainingPlaceholders());
        INDArray x = test.features(new int[] {0, 1, 2});
        Batch batch = new Batch(x, new int[3], new int[3]);
        INDArray[] a = dae.trainingInputs(batch, new NoiseSource(3), new Progress(0, 0));
        INDArray[] b = dae.trainingInputs(batch, new NoiseSource(3), new Progress(0, 0));
        INDArray[] c = dae.trainingInputs(batch, new NoiseSource(4), new Progress(0, 0));
        assertSame(x, a[1], "the target is the clean batch");
        assertEquals(a[0], b[0], "same seed, same corruption");
        assertNotEquals(a[0], c[0], "another seed, another corruption");
        assertEquals(GAUSSIAN.level() * GAUSSIAN.level(), mse(a[0], x), 0.02);
        // Evaluation corrupts the input too (with the evaluation seed's noise)...
        Map<String, INDArray> feeds = dae.feeds(batch, new NoiseSource(3));
        assertEquals(a[0], feeds.get(AutoencoderModel.INPUT));
        assertNotEquals(dae.evaluate(test, 100, 1), dae.evaluate(test, 100, 2));
        // ...but inference does not: reconstruct ignores the noise and equals the clean forward pass.
        INDArray r = dae.reconstruct(x, new NoiseSource(5));
        assertEquals(r, dae.reconstruct(x, new NoiseSource(6)));
        assertEquals(r, dae.decode(dae.encode(x)));
    }

    @Test
    void corruptionIsSetFromTheCommandLine() {
        DenoisingAutoencoderConfig c = (DenoisingAutoencoderConfig) new ConfigPaths(REGISTRY)
                .model(
                        Models.DAE,
                        List.of("corruptionKind=salt-and-pepper", "corruptionLevel=0.1", "encoderSizes=1000"));
        assertEquals(new Corruption(Corruption.Kind.SALT_AND_PEPPER, 0.1), c.corruption());
        assertEquals(1000, c.autoencoder().codeSize());
        assertEquals(
                new Corruption(Corruption.Kind.MASKING, 0.25),
                DenoisingAutoencoderConfig.defaults().corruption());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ConfigPaths(REGISTRY)
                .model(Models.DAE, List.of("corruptionLevel=2")));
        assertTrue(e.getMessage().contains("masking corruption level is a fraction"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ConfigPaths(REGISTRY)
                .model(Models.DAE, List.of("corruptionKind=blur")));
        assertTrue(e.getMessage().contains("salt_and_pepper"), e.getMessage());
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }
}
