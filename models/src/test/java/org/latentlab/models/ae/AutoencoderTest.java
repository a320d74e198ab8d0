package org.latentlab.models.ae;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.latentlab.core.ModelRegistry;
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

class AutoencoderTest {
    private static final ModelRegistry REGISTRY = Models.registry();
    private static ImageDataset train;
    private static ImageDataset test;

    @BeforeAll
    static void loadSample() {
        DataBundle bundle = Datasets.load(Datasets.MNIST_SAMPLE);
        train = bundle.train().head(512);
        test = bundle.test().head(100);
    }

    private static AutoencoderConfig config(List<Integer> sizes, Activation output, ReconstructionKind loss) {
        return new AutoencoderConfig(
                784, sizes, Activation.RELU, Activation.IDENTITY, output, loss, WeightInit.PYTORCH_DEFAULT);
    }

    private static TrainerConfig trainer(int epochs) {
        return new TrainerConfig(epochs, 64, Optimizer.ADAM, 1e-3, 0, 0, 1, 0, 0, 0);
    }

    @Test
    void deepDefaultHasAMirroredDecoderOfTheRightSize() {
        Autoencoder ae = (Autoencoder) Models.AE.build(AutoencoderConfig.defaults(), 1);
        int[] sizes = {784, 128, 64, 12, 3};
        long expected = 0;
        for (int i = 0; i + 1 < sizes.length; i++) {
            expected += 2L * sizes[i] * sizes[i + 1] + sizes[i] + sizes[i + 1]; // encoder and mirrored decoder layer
        }
        assertEquals(expected, ae.parameterCount());
        assertEquals(3, ae.codeSize());
        for (int i = 0; i < 4; i++) {
            assertTrue(ae.parameterNames().contains("encoder/" + i + "/W"));
            assertTrue(ae.parameterNames().contains("decoder/" + i + "/W"));
        }
        assertArrayEquals(
                new long[] {4, 3},
                ae.encode(test.features(new int[] {0, 1, 2, 3})).shape());
    }

    @Test
    void overcompleteCodeBuildsAndTrains() {
        AutoencoderConfig c = config(List.of(1000), Activation.SIGMOID, ReconstructionKind.MSE);
        Autoencoder ae = (Autoencoder) Models.AE.build(c, 2);
        assertEquals(1000, ae.codeSize());
        assertArrayEquals(
                new long[] {2, 1000}, ae.encode(test.features(new int[] {0, 1})).shape());
        Map<String, Double> before = ae.evaluate(test, 100, 1);
        new Trainer(trainer(1)).fit(ae, train.head(256), null);
        Map<String, Double> after = ae.evaluate(test, 100, 1);
        assertTrue(after.get("mse_per_pixel") < 0.5 * before.get("mse_per_pixel"), before + " -> " + after);
    }

    /** The reported terms against a plain-Java computation from the reconstructions. */
    @Test
    void lossTermsMatchPlainJava() {
        INDArray x = test.features(new int[] {0, 1, 2, 3, 4, 5, 6, 7});
        ImageDataset eight = test.head(8);
        for (AutoencoderConfig c : List.of(
                config(List.of(32, 5), Activation.SIGMOID, ReconstructionKind.BCE),
                config(List.of(32, 5), Activation.TANH, ReconstructionKind.MSE),
                config(List.of(32, 5), Activation.IDENTITY, ReconstructionKind.MSE))) {
            Autoencoder ae = (Autoencoder) Models.AE.build(c, 3);
            float[] r = ae.reconstruct(x, new NoiseSource(1)).data().asFloat();
            float[] t = x.data().asFloat();
            double squared = 0;
            double bce = 0;
            for (int i = 0; i < r.length; i++) {
                squared += (r[i] - t[i]) * (double) (r[i] - t[i]);
                bce -= t[i] * Math.log(r[i]) + (1 - t[i]) * Math.log(1 - r[i]);
            }
            Map<String, Double> terms = ae.evaluate(eight, 8, 1);
            String what = c.outputActivation() + "/" + c.loss();
            assertEquals(squared / r.length, terms.get("mse_per_pixel"), 1e-5, what);
            double recon = c.loss() == ReconstructionKind.BCE ? bce / 8 : squared / 8;
            assertEquals(recon, terms.get("recon"), 1e-4 * recon, what);
            assertEquals(terms.get("recon"), terms.get("loss"), 0.0, what);
        }
    }

    @Test
    void tanhOutputWithSquaredErrorTrains() {
        Autoencoder ae =
                (Autoencoder) Models.AE.build(config(List.of(64, 8), Activation.TANH, ReconstructionKind.MSE), 4);
        double before = ae.evaluate(test, 100, 1).get("mse_per_pixel");
        // Below 0.065, the error of the mean training image on these test images: more than the average has been
        // learnt.
        new Trainer(new TrainerConfig(3, 32, Optimizer.ADAM, 3e-3, 0, 0, 1, 0, 0, 0)).fit(ae, train, null);
        double after = ae.evaluate(test, 100, 1).get("mse_per_pixel");
        assertTrue(after < 0.062, "tanh/mse: mse per pixel " + before + " -> " + after);
    }

    @Test
    void invalidConfigsAreRejectedWithTheValue() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> config(List.of(32, 3), Activation.TANH, ReconstructionKind.BCE));
        assertTrue(e.getMessage().contains("bce") && e.getMessage().contains("tanh"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class, () -> config(List.of(), Activation.SIGMOID, ReconstructionKind.BCE));
        assertTrue(e.getMessage().contains("encoderSizes"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> config(List.of(32, 0), Activation.SIGMOID, ReconstructionKind.BCE));
        assertTrue(e.getMessage().contains("[32, 0]"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class, () -> config(List.of(32), Activation.RELU, ReconstructionKind.MSE));
        assertTrue(e.getMessage().contains("relu"), e.getMessage());
    }

    @Test
    void commandLineOverridesReachTheConfig() {
        AutoencoderConfig c = (AutoencoderConfig) new ConfigPaths(REGISTRY)
                .model(Models.AE, List.of("encoderSizes=256,1024", "outputActivation=tanh", "loss=mse"));
        assertEquals(List.of(256, 1024), c.encoderSizes());
        assertEquals(1024, c.codeSize());
        assertEquals(Activation.TANH, c.outputActivation());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ConfigPaths(REGISTRY)
                .model(Models.AE, List.of("outputActivation=tanh")));
        assertTrue(e.getMessage().contains("bce"), e.getMessage());
    }
}
