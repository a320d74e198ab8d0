package org.latentlab.eval;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.core.AutoencoderModel;
import org.latentlab.data.DataBundle;
import org.latentlab.data.Datasets;
import org.latentlab.data.ImageDataset;
import org.latentlab.loss.NoiseSource;
import org.latentlab.train.Optimizer;
import org.latentlab.train.TinyAutoencoder;
import org.latentlab.train.Trainer;
import org.latentlab.train.TrainerConfig;
import org.nd4j.linalg.api.buffer.DataType;

/** The evaluator on a deterministic autoencoder (no likelihood) trained briefly on the MNIST sample. */
class EvaluatorTest {
    private static ImageDataset train;
    private static ImageDataset test;

    @BeforeAll
    static void loadSample() {
        DataBundle bundle = Datasets.load(Datasets.MNIST_SAMPLE);
        train = bundle.train();
        test = bundle.test();
    }

    private static TinyAutoencoder trained(ImageDataset data, int epochs, long seed) {
        TinyAutoencoder model =
                (TinyAutoencoder) TinyAutoencoder.TYPE.build(new TinyAutoencoder.Config(784, 8, 1.0), seed);
        new Trainer(new TrainerConfig(epochs, 25, Optimizer.ADAM, 1e-2, 0, 0, seed, 0, 0, 0)).fit(model, data, null);
        return model;
    }

    @Test
    void everyMetricOfADeterministicAutoencoderAgreesWithADirectComputation(@TempDir Path dir) {
        // Untrained: its code is a random tanh projection, which still carries the class (chance is 0.1),
        // so codes and labels out of step would show in the probes.
        AutoencoderModel<?> model = TinyAutoencoder.TYPE.build(new TinyAutoencoder.Config(784, 32, 1.0), 1);
        EvaluationOptions opts =
                EvaluationOptions.defaults().withImportanceSampling(10, 0).withProbes(1000, 0);
        // No wall-clock bound: a test must not depend on the machine's load (issue 14); speed is the benchmark's.
        EvaluationResult r = Evaluator.evaluate(model, train, test, opts);

        // Reconstruction errors, recomputed here from one call on the whole test set.
        double[][] x = test.features().castTo(DataType.DOUBLE).toDoubleMatrix();
        double[][] rec = model.reconstruct(test.features(), new NoiseSource(0))
                .castTo(DataType.DOUBLE)
                .toDoubleMatrix();
        double se = 0;
        double bce = 0;
        for (int i = 0; i < x.length; i++) {
            for (int p = 0; p < 784; p++) {
                se += (rec[i][p] - x[i][p]) * (rec[i][p] - x[i][p]);
                bce -= x[i][p] * Math.max(Math.log(rec[i][p]), -100)
                        + (1 - x[i][p]) * Math.max(Math.log(1 - rec[i][p]), -100);
            }
        }
        assertEquals(se / (x.length * 784.0), r.reconstruction().msePerPixel(), 1e-6);
        assertEquals(bce / x.length, r.reconstruction().bcePerImage(), 1e-3);
        assertEquals(
                model.evaluate(test, 500, 1).get("mse") / 784,
                r.reconstruction().msePerPixel(),
                1e-6);

        // No likelihood: no ELBO, no importance sampling even though k > 0.
        assertNull(r.negElbo());
        assertNull(r.importanceSampling());
        assertEquals(model.summaryMetrics(model.evaluate(test, 500, 1)), r.testTerms());

        assertEquals(32, r.pca().components());
        assertEquals(
                Pca.fit(train.features(), 32).reconstructionMse(test.features()),
                r.pca().msePerPixel(),
                1e-12);
        assertTrue(r.pca().explainedVariance() > 0.3 && r.pca().explainedVariance() < 1, "" + r.pca());
        assertEquals(r.reconstruction().msePerPixel(), r.pca().modelMsePerPixel());

        assertEquals(1000, r.probes().trainCodes());
        assertEquals(500, r.probes().testCodes());
        assertTrue(
                r.probes().linearAccuracy() > 0.5, "linear probe " + r.probes().linearAccuracy());
        assertTrue(r.probes().knnAccuracy() > 0.5, "k-NN probe " + r.probes().knnAccuracy());

        double[] variances = Metrics.unitVariances(model.encode(test.features()));
        assertArrayEquals(variances, r.activeUnits().variances(), 1e-6);
        assertEquals(Metrics.activeUnits(variances, 0.01), r.activeUnits().active());
        assertEquals(32, r.activeUnits().total());
        assertNull(r.anomaly());
        assertTrue(
                r.seconds()
                        .keySet()
                        .containsAll(List.of("reconstruction", "pca", "linear_probe", "knn_probe", "active_units")),
                r.seconds().toString());

        Path file = dir.resolve("evaluation.json");
        r.write(file);
        EvaluationResult back = EvaluationResult.read(file);
        assertEquals(r.toJson(), back.toJson());
        assertTrue(r.toJson().contains("\"mse_per_pixel\""), r.toJson());
        assertTrue(r.toJson().contains("\"importance_sampling\" : null"), r.toJson());
    }

    @Test
    void anAutoencoderTrainedOnZerosFlagsTheOtherDigitsAsAnomalies() {
        int[] zeros = Arrays.stream(IntStream.range(0, train.size()).toArray())
                .filter(i -> train.label(i) == 0)
                .toArray();
        ImageDataset zerosOnly = train.subset(zeros);
        EvaluationOptions opts = EvaluationOptions.defaults()
                .withImportanceSampling(0, 0)
                .withProbes(0, 0)
                .withAnomaly(0, EvaluationOptions.AnomalyScore.AUTO);

        // Zeros carry much ink, so an untrained model finds them hard: the AUROC comes from training.
        AutoencoderModel<?> untrained = TinyAutoencoder.TYPE.build(new TinyAutoencoder.Config(784, 8, 1.0), 2);
        double before =
                Evaluator.evaluate(untrained, zerosOnly, test, opts).anomaly().auroc();

        EvaluationResult r = Evaluator.evaluate(trained(zerosOnly, 5, 2), zerosOnly, test, opts);
        EvaluationResult.Anomaly a = r.anomaly();
        assertEquals("bce", a.score());
        assertEquals(test.size(), a.scores().length);
        assertArrayEquals(test.labels(), a.labels());
        long normals = Arrays.stream(test.labels()).filter(l -> l == 0).count();
        assertEquals(normals, a.normals());
        assertEquals(test.size() - normals, a.anomalies());
        boolean[] anomalous = new boolean[test.size()];
        for (int i = 0; i < anomalous.length; i++) {
            anomalous[i] = test.label(i) != 0;
        }
        assertEquals(Metrics.auroc(a.scores(), anomalous), a.auroc(), 1e-12);
        assertTrue(before < 0.8, "untrained AUROC " + before);
        assertTrue(a.auroc() > 0.8, "AUROC " + a.auroc() + " (untrained " + before + ")");
    }

    @Test
    void badOptionsAreNamed() {
        AutoencoderModel<?> model = TinyAutoencoder.TYPE.build(new TinyAutoencoder.Config(784, 4, 1.0), 3);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Evaluator.evaluate(
                        model,
                        train,
                        test,
                        EvaluationOptions.defaults().withAnomaly(10, EvaluationOptions.AnomalyScore.AUTO)));
        assertTrue(e.getMessage().contains("normal class 10"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> Evaluator.evaluate(
                        model,
                        train,
                        test,
                        EvaluationOptions.defaults().withAnomaly(3, EvaluationOptions.AnomalyScore.NEG_ELBO)));
        assertTrue(e.getMessage().contains("NEG_ELBO"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> EvaluationOptions.defaults()
                .withKnnK(0));
        assertTrue(e.getMessage().contains("knnK"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> EvaluationResult.fromJson("{\"model\": \"x\", \"surprise\": 1}", "eval.json"));
        assertTrue(e.getMessage().contains("eval.json"), e.getMessage());
    }

    @Test
    void probeSubsetsAreSeededDistinctAndSorted() {
        int[] a = Evaluator.subset(100, 30, 5);
        assertEquals(30, a.length);
        assertEquals(30, Arrays.stream(a).distinct().count());
        for (int i = 1; i < a.length; i++) {
            assertTrue(a[i - 1] < a[i]);
        }
        assertArrayEquals(a, Evaluator.subset(100, 30, 5));
        assertFalse(Arrays.equals(a, Evaluator.subset(100, 30, 6)));
        assertEquals(100, Evaluator.subset(100, 500, 5).length);
    }
}
