package org.latentlab.models.vae;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.core.AutoencoderModel;
import org.latentlab.core.ModelConfig;
import org.latentlab.core.ModelRegistry;
import org.latentlab.data.DataBundle;
import org.latentlab.data.Datasets;
import org.latentlab.data.ImageDataset;
import org.latentlab.graph.Activation;
import org.latentlab.graph.WeightInit;
import org.latentlab.loss.NoiseSource;
import org.latentlab.models.Models;
import org.latentlab.train.EpochResult;
import org.latentlab.train.Optimizer;
import org.latentlab.train.Trainer;
import org.latentlab.train.TrainerConfig;
import org.latentlab.train.TrainingResult;
import org.nd4j.linalg.api.ndarray.INDArray;

class VaeTest {
    private static final ModelRegistry REGISTRY = Models.registry();
    private static ImageDataset train;
    private static ImageDataset test;

    @BeforeAll
    static void loadSample() {
        DataBundle bundle = Datasets.load(Datasets.MNIST_SAMPLE);
        train = bundle.train().head(512);
        test = bundle.test().head(200);
    }

    private static VaeConfig small() {
        return new VaeConfig(784, List.of(64), 4, Activation.RELU, 1.0, WeightInit.PYTORCH_DEFAULT);
    }

    private static TrainerConfig trainer(int epochs, long seed) {
        return new TrainerConfig(epochs, 64, Optimizer.ADAM, 1e-3, 0, 0, seed, 0, 0, 0);
    }

    @Test
    void trainingLowersTheNegativeElbo() {
        Vae vae = (Vae) Models.VAE.build(small(), 1);
        double before = vae.evaluate(test, 100, 9).get("loss");
        new Trainer(trainer(3, 1)).fit(vae, train, null);
        double after = vae.evaluate(test, 100, 9).get("loss");
        assertTrue(after < before - 50, "negative ELBO should fall well below " + before + ", got " + after);
        Map<String, Double> terms = vae.evaluate(test, 100, 9);
        assertEquals(terms.get("loss"), terms.get("recon") + terms.get("kl"), 1e-3);
        assertTrue(terms.get("kl") > 0);
    }

    @Test
    void sameSeedGivesSameLossesAndOtherSeedDiffers() {
        List<EpochResult> a = new Trainer(trainer(2, 5))
                .fit(Models.VAE.build(small(), 5), train, test)
                .history();
        List<EpochResult> b = new Trainer(trainer(2, 5))
                .fit(Models.VAE.build(small(), 5), train, test)
                .history();
        List<EpochResult> c = new Trainer(trainer(2, 6))
                .fit(Models.VAE.build(small(), 6), train, test)
                .history();
        for (int i = 0; i < 2; i++) {
            assertEquals(a.get(i).train(), b.get(i).train());
            assertEquals(a.get(i).validation(), b.get(i).validation());
        }
        assertNotEquals(a.get(1).train(), c.get(1).train());
    }

    @Test
    void saveThenLoadGivesIdenticalOutputs(@TempDir Path dir) {
        Vae vae = (Vae) Models.VAE.build(small(), 3);
        new Trainer(trainer(1, 3)).fit(vae, train, null);
        vae.save(dir.resolve("model"), REGISTRY);
        AutoencoderModel<?> loaded = AutoencoderModel.load(dir.resolve("model"), REGISTRY);
        assertInstanceOf(Vae.class, loaded);
        assertEquals(vae.config(), loaded.config());
        INDArray x = test.features(new int[] {0, 1, 2});
        assertEquals(vae.encode(x), loaded.encode(x));
        assertEquals(vae.reconstruct(x, new NoiseSource(4)), loaded.reconstruct(x, new NoiseSource(4)));
        assertEquals(vae.evaluate(test, 50, 2), loaded.evaluate(test, 50, 2));
        assertEquals(vae.sample(5, new NoiseSource(8)), ((Vae) loaded).sample(5, new NoiseSource(8)));
    }

    @Test
    void configRoundTripsThroughTaggedJsonAndUnknownKeysAreNamed() {
        String json = REGISTRY.toJson(small());
        assertTrue(json.contains("\"type\" : \"vae\""), json);
        ModelConfig back = REGISTRY.fromJson(json, "test.json");
        assertEquals(small(), back);
        String typo = json.replace("\"latentSize\"", "\"latentSise\"");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> REGISTRY.fromJson(typo, "cfg.json"));
        assertTrue(e.getMessage().contains("latentSise") && e.getMessage().contains("cfg.json"), e.getMessage());
        String invalid = json.replace("\"latentSize\" : 4", "\"latentSize\" : 0");
        e = assertThrows(IllegalArgumentException.class, () -> REGISTRY.fromJson(invalid, "cfg.json"));
        assertTrue(e.getMessage().contains("latentSize must be at least 1"), e.getMessage());
        // Keys left out take the defaults of the type.
        assertEquals(
                VaeConfig.defaults().withLatentSize(2),
                REGISTRY.fromJson("{\"type\": \"vae\", \"latentSize\": 2}", "x"));
    }

    @Test
    void samplesAndReconstructionsArePixelIntensities() {
        Vae vae = (Vae) Models.VAE.build(small(), 1);
        INDArray s = vae.sample(7, new NoiseSource(1));
        assertArrayEquals(new long[] {7, 784}, s.shape());
        assertTrue(s.minNumber().doubleValue() >= 0 && s.maxNumber().doubleValue() <= 1);
        assertArrayEquals(
                new long[] {3, 4},
                vae.encode(test.features(new int[] {0, 1, 2})).shape());
    }

    @Test
    void batchOfOneWorks() {
        Vae vae = (Vae) Models.VAE.build(small(), 1);
        TrainingResult r = new Trainer(new TrainerConfig(1, 1, Optimizer.ADAM, 1e-3, 0, 0, 1, 0, 0, 0))
                .fit(vae, train.head(3), test.head(1));
        assertTrue(Double.isFinite(r.last().train().get("loss")));
    }
}
