package org.latentlab.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.latentlab.core.AutoencoderModel;
import org.latentlab.core.ModelRegistry;
import org.latentlab.data.ImageDataset;
import org.latentlab.loss.NoiseSource;
import org.latentlab.models.ae.ConvAutoencoderConfig;
import org.latentlab.models.ae.ConvDenoisingAutoencoderConfig;
import org.latentlab.models.vae.ConvVaeConfig;
import org.latentlab.plot.FirstLayerWeights;
import org.latentlab.train.Optimizer;
import org.latentlab.train.Trainer;
import org.latentlab.train.TrainerConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The conv models on 3 x 32 x 32 colour images, and their configs' image keys. */
class ColourConvModelsTest {
    private static final ModelRegistry REGISTRY = Models.registry();

    /** {@code n} random colour images of 3 x 32 x 32, CHW, two classes. */
    private static ImageDataset colour(String name, int n, long seed) {
        Random rng = new Random(seed);
        float[] px = new float[n * 3072];
        for (int i = 0; i < px.length; i++) {
            px[i] = rng.nextFloat();
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
        }
        return new ImageDataset(name, px, labels, 3, 32, 32, 2);
    }

    private static void trainsAndReconstructsInColour(AutoencoderModel<?> model) {
        ImageDataset train = colour("train", 8, 1);
        ImageDataset test = colour("test", 4, 2);
        var r = new Trainer(new TrainerConfig(1, 4, Optimizer.ADAM, 1e-3, 0, 0, 3, 0, 0, 0)).fit(model, train, test);
        assertTrue(
                Double.isFinite(r.last().train().get("loss")), r.last().train().toString());
        INDArray x = test.features();
        assertArrayEquals(
                new long[] {4, 3072}, model.reconstruct(x, new NoiseSource(0)).shape());
        FirstLayerWeights filters = FirstLayerWeights.of(model, 3, 32, 32);
        assertEquals(3, filters.channels(), "colour filters");
        assertTrue(filters.convolutional());
    }

    @Test
    void convVaeTakesColourImages() {
        ConvVaeConfig c = ConvVaeConfig.defaults()
                .withImage(3, 32)
                .withChannels(List.of(4, 8))
                .withLatentSize(3);
        assertEquals(32, c.side());
        assertEquals(List.of(3, 32, 32), c.imageShape());
        trainsAndReconstructsInColour(Models.CONV_VAE.build(c, 3));
    }

    @Test
    void convAutoencodersTakeColourImages() {
        ConvAutoencoderConfig c = ConvAutoencoderConfig.defaults()
                .withImage(3, 32)
                .withChannels(List.of(4, 8))
                .withCodeSize(4);
        assertEquals(List.of(3, 32, 32), c.imageShape());
        assertEquals(8, c.innerSize());
        trainsAndReconstructsInColour(Models.CONV_AE.build(c, 3));
        ConvDenoisingAutoencoderConfig d = ConvDenoisingAutoencoderConfig.of(
                c, ConvDenoisingAutoencoderConfig.defaults().corruption());
        assertEquals(List.of(3, 32, 32), d.imageShape());
        trainsAndReconstructsInColour(Models.CONV_DAE.build(d, 3));
    }

    @Test
    void greyDefaultsAndOldConfigFilesWithoutImageChannelsAreUnchanged() {
        assertEquals(List.of(1, 28, 28), ConvVaeConfig.defaults().imageShape());
        assertEquals(List.of(1, 28, 28), ConvAutoencoderConfig.defaults().imageShape());
        // config.json files written before the key existed read as grey
        ConvVaeConfig old = (ConvVaeConfig) REGISTRY.fromJson(
                "{\"type\": \"conv-vae\", \"inputSize\": 784, \"channels\": [32, 64], \"latentSize\": 20}", "old");
        assertEquals(ConvVaeConfig.defaults(), old);
        ConvAutoencoderConfig oldAe = (ConvAutoencoderConfig)
                REGISTRY.fromJson("{\"type\": \"conv-ae\", \"inputSize\": 784, \"imageSize\": 28}", "old");
        assertEquals(1, oldAe.imageChannels());
        String json = REGISTRY.toJson(ConvVaeConfig.defaults());
        assertTrue(json.contains("\"imageChannels\""), json);
        assertTrue(!json.contains("imageShape"), "the derived shape is not a key: " + json);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> ConvVaeConfig.defaults().withImageChannels(3));
        assertTrue(e.getMessage().contains("imageChannels * side * side"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class, () -> ConvVaeConfig.defaults().withImageChannels(2));
        assertTrue(e.getMessage().contains("1 (grey) or 3 (RGB)"), e.getMessage());
    }
}
