package org.latentlab.models.ae;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashMap;
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

class ConvAutoencoderTest {
    private static final ModelRegistry REGISTRY = Models.registry();
    private static ImageDataset train;
    private static ImageDataset test;

    @BeforeAll
    static void loadSample() {
        DataBundle bundle = Datasets.load(Datasets.MNIST_SAMPLE);
        train = bundle.train().head(512);
        test = bundle.test().head(100);
    }

    private static ConvAutoencoderConfig small(ReconstructionKind loss) {
        return new ConvAutoencoderConfig(
                784, 1, 28, List.of(4, 8), 3, 16, Activation.RELU, loss, WeightInit.PYTORCH_DEFAULT);
    }

    @Test
    void defaultLayersHaveTheDocumentedShapes() {
        ConvAutoencoder ae = (ConvAutoencoder) Models.CONV_AE.build(ConvAutoencoderConfig.defaults(), 1);
        // conv 1->16, conv 16->32 (3x3), dense 32*7*7->32 and back, deconv 32->16, deconv 16->1.
        long expected = (9 * 16 + 16)
                + (9 * 16 * 32 + 32)
                + (1568 * 32 + 32)
                + (32 * 1568 + 1568)
                + (9 * 32 * 16 + 16)
                + (9 * 16 + 1);
        assertEquals(expected, ae.parameterCount());
        assertEquals(7, ae.config().innerSize());
        assertArrayEquals(
                new long[] {3, 3, 16, 32},
                ae.graph().getVariable("encoder/conv1/W").getArr().shape());
        assertArrayEquals(
                new long[] {3, 3, 1, 16},
                ae.graph().getVariable("decoder/deconv1/W").getArr().shape());
        INDArray r = ae.reconstruct(test.features(new int[] {0, 1}), new NoiseSource(1));
        assertArrayEquals(new long[] {2, 784}, r.shape());
        assertTrue(r.minNumber().doubleValue() > 0 && r.maxNumber().doubleValue() < 1, "sigmoid output");
    }

    @Test
    void squaredErrorTermsMatchPlainJava() {
        ConvAutoencoder ae = (ConvAutoencoder) Models.CONV_AE.build(small(ReconstructionKind.MSE), 2);
        ImageDataset eight = test.head(8);
        INDArray x = eight.features(new int[] {0, 1, 2, 3, 4, 5, 6, 7});
        float[] r = ae.reconstruct(x, new NoiseSource(1)).data().asFloat();
        float[] t = x.data().asFloat();
        double squared = 0;
        for (int i = 0; i < r.length; i++) {
            squared += (r[i] - t[i]) * (double) (r[i] - t[i]);
        }
        Map<String, Double> terms = ae.evaluate(eight, 8, 1);
        assertEquals(squared / r.length, terms.get("mse_per_pixel"), 1e-5);
        assertEquals(squared / 8, terms.get("recon"), 1e-4 * terms.get("recon"));
    }

    /**
     * Gradients must reach every layer through the reshapes, convolutions and transposed
     * convolutions: one Adam step changes every parameter (a parameter with no gradient, e.g. a
     * constant or a layer cut off from the loss, keeps its value). Learning itself is checked by
     * the contract test; the quality bar (mse per pixel on full MNIST) needs a real run.
     */
    @Test
    void oneStepUpdatesEveryParameter() {
        ConvAutoencoder ae = (ConvAutoencoder) Models.CONV_AE.build(small(ReconstructionKind.MSE), 3);
        Map<String, INDArray> before = new HashMap<>();
        for (String name : ae.parameterNames()) {
            before.put(name, ae.graph().getVariable(name).getArr().dup());
        }
        assertEquals(12, before.size(), "W and b of 2 convs, 2 dense layers, 2 deconvs: " + before.keySet());
        new Trainer(new TrainerConfig(1, 16, Optimizer.ADAM, 1e-3, 0, 0, 3, 0, 0, 0)).fit(ae, train.head(16), null);
        for (String name : ae.parameterNames()) {
            assertNotEquals(before.get(name), ae.graph().getVariable(name).getArr(), name + " did not change");
        }
    }

    /** The reshapes use -1 for the batch and the reductions must survive size-1 dimensions. */
    @Test
    void batchOfOneTrains() {
        ConvAutoencoder ae = (ConvAutoencoder) Models.CONV_AE.build(small(ReconstructionKind.BCE), 5);
        var r = new Trainer(new TrainerConfig(1, 1, Optimizer.ADAM, 1e-3, 0, 0, 1, 0, 0, 0))
                .fit(ae, train.head(3), test.head(1));
        assertTrue(Double.isFinite(r.last().train().get("loss")));
        assertTrue(Double.isFinite(r.last().validation().get("mse_per_pixel")));
    }

    @Test
    void invalidGeometryIsRejected() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new ConvAutoencoderConfig(
                        784,
                        1,
                        28,
                        List.of(4, 8, 16),
                        3,
                        8,
                        Activation.RELU,
                        ReconstructionKind.BCE,
                        WeightInit.PYTORCH_DEFAULT));
        assertTrue(e.getMessage().contains("divisible by 2^3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ConfigPaths(REGISTRY)
                .model(Models.CONV_AE, List.of("imageSize=32")));
        assertTrue(e.getMessage().contains("inputSize must be imageChannels * imageSize^2 = 1024"), e.getMessage());
        ConvAutoencoderConfig c = (ConvAutoencoderConfig)
                new ConfigPaths(REGISTRY).model(Models.CONV_AE, List.of("codeSize=32", "channels=8", "loss=mse"));
        assertEquals(14, c.innerSize());
        assertEquals(ReconstructionKind.MSE, c.loss());
    }

    @Test
    void oneConvolutionWorks() {
        ConvAutoencoderConfig c = new ConvAutoencoderConfig(
                784, 1, 28, List.of(4), 5, 6, Activation.ELU, ReconstructionKind.BCE, WeightInit.HE_NORMAL);
        ConvAutoencoder ae = (ConvAutoencoder) Models.CONV_AE.build(c, 4);
        INDArray x = test.features(new int[] {0, 1, 2});
        assertArrayEquals(new long[] {3, 6}, ae.encode(x).shape());
        assertArrayEquals(new long[] {3, 784}, ae.decode(ae.encode(x)).shape());
        assertEquals(ae.reconstruct(x, new NoiseSource(1)), ae.decode(ae.encode(x)));
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }
}
