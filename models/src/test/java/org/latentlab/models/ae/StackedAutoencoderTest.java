package org.latentlab.models.ae;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.latentlab.core.AutoencoderModel;
import org.latentlab.core.ModelRegistry;
import org.latentlab.data.Corruption;
import org.latentlab.data.DataBundle;
import org.latentlab.data.Datasets;
import org.latentlab.data.ImageDataset;
import org.latentlab.graph.Activation;
import org.latentlab.graph.WeightInit;
import org.latentlab.models.Models;
import org.latentlab.train.Optimizer;
import org.latentlab.train.Trainer;
import org.latentlab.train.TrainerConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

class StackedAutoencoderTest {
    private static final ModelRegistry REGISTRY = Models.registry();
    private static ImageDataset train;
    private static ImageDataset test;

    @BeforeAll
    static void loadSample() {
        DataBundle bundle = Datasets.load(Datasets.MNIST_SAMPLE);
        train = bundle.train();
        test = bundle.test();
    }

    private static StackedAutoencoderConfig config(List<Integer> sizes, Activation act, int pretrainEpochs) {
        return new StackedAutoencoderConfig(
                784,
                sizes,
                act,
                Corruption.Kind.MASKING,
                0.2,
                pretrainEpochs,
                1e-3,
                10,
                WeightInit.XAVIER_UNIFORM,
                0.0);
    }

    private static TrainerConfig trainer(int epochs, long seed) {
        return new TrainerConfig(epochs, 50, Optimizer.ADAM, 1e-3, 0, 0, seed, 0, 0, 0);
    }

    private static StackedAutoencoder build(StackedAutoencoderConfig c, long seed) {
        return (StackedAutoencoder) Models.STACKED_AE.build(c, seed);
    }

    @Test
    void crossEntropyAndErrorRateMatchPlainJava() {
        StackedAutoencoder model = build(config(List.of(16, 8), Activation.SIGMOID, 1), 11);
        int[] idx = {0, 1, 2, 3, 4, 5, 6};
        INDArray x = test.features(idx);
        int[] labels = test.labels(idx);
        INDArray logits = model.logits(x);
        // Make the logits far from uniform, so the check is not trivially satisfied near log(10).
        model.graph().getVariable("classifier/W").getArr().muli(25);
        logits = model.logits(x);
        double sum = 0;
        int wrong = 0;
        for (int n = 0; n < idx.length; n++) {
            double max = Double.NEGATIVE_INFINITY;
            int argmax = 0;
            for (int k = 0; k < 10; k++) {
                double v = logits.getDouble(n, k);
                if (v > max) {
                    max = v;
                    argmax = k;
                }
            }
            double z = 0;
            for (int k = 0; k < 10; k++) {
                z += Math.exp(logits.getDouble(n, k) - max);
            }
            sum += max + Math.log(z) - logits.getDouble(n, labels[n]);
            wrong += argmax == labels[n] ? 0 : 1;
        }
        Map<String, INDArray> out = model.graph()
                .output(
                        Map.of(
                                AutoencoderModel.INPUT,
                                x,
                                StackedAutoencoder.LABELS,
                                StackedAutoencoder.oneHot(labels, 10)),
                        AutoencoderModel.LOSS,
                        StackedAutoencoder.ERROR_RATE);
        double expected = sum / idx.length;
        assertTrue(expected > 3, "logits should be sharp enough to test the log-sum-exp: " + expected);
        assertEquals(expected, out.get(AutoencoderModel.LOSS).getDouble(0), 1e-4 * expected);
        assertEquals(
                (double) wrong / idx.length,
                out.get(StackedAutoencoder.ERROR_RATE).getDouble(0),
                1e-6);
    }

    @Test
    void pretrainingLowersEachStagesLossAndFillsEncoderAndDecoder() {
        StackedAutoencoder model = build(config(List.of(64, 32), Activation.SIGMOID, 2), 5);
        INDArray x = test.features(new int[] {0, 1, 2, 3, 4, 5, 6, 7});
        double reconBefore = bce(model.reconstruct(x, null), x);
        List<String> names =
                List.of("encoder/0/W", "encoder/0/b", "encoder/1/W", "decoder/0/W", "decoder/1/W", "decoder/1/b");
        List<INDArray> before = names.stream()
                .map(n -> model.graph().getVariable(n).getArr().dup())
                .toList();

        model.pretrain(train.head(500), trainer(1, 5));

        List<StackedAutoencoder.StageResult> stages = model.pretrainingResults();
        assertEquals(2, stages.size());
        for (StackedAutoencoder.StageResult s : stages) {
            // Seen: 549 -> 353 (stage 0, pixels) and 45.2 -> 39.9 (stage 1, sigmoid codes, whose
            // cross-entropy cannot reach 0 because the targets are not binary).
            assertTrue(s.lossAfter() < 0.95 * s.lossBefore(), "stage " + s + " should cut its loss by 5%");
        }
        for (int i = 0; i < names.size(); i++) {
            INDArray now = model.graph().getVariable(names.get(i)).getArr();
            assertTrue(
                    now.sub(before.get(i)).norm2Number().doubleValue()
                            > 1e-3 * (1 + before.get(i).norm2Number().doubleValue()),
                    names.get(i) + " should have been replaced by the pretrained stage's");
        }
        // The stacked decoder (constants) now inverts the stacked encoder: the full-depth
        // reconstruction beats the random initialisation by far.
        double reconAfter = bce(model.reconstruct(x, null), x);
        assertTrue(reconAfter < 0.7 * reconBefore, "reconstruction cross-entropy " + reconBefore + " -> " + reconAfter);
        // Fine-tuning does not touch the decoder.
        INDArray decoder = model.graph().getVariable("decoder/0/W").getArr().dup();
        INDArray encoder = model.graph().getVariable("encoder/0/W").getArr().dup();
        new Trainer(trainer(1, 5)).fit(model, train.head(256), null);
        assertEquals(decoder, model.graph().getVariable("decoder/0/W").getArr());
        assertNotEquals(encoder, model.graph().getVariable("encoder/0/W").getArr());
    }

    /** Mean over rows of the summed Bernoulli cross-entropy of targets t under means r, in plain Java. */
    private static double bce(INDArray r, INDArray t) {
        double sum = 0;
        for (int n = 0; n < t.rows(); n++) {
            for (int j = 0; j < t.columns(); j++) {
                double p = Math.min(Math.max(r.getDouble(n, j), 1e-7), 1 - 1e-7);
                double y = t.getDouble(n, j);
                sum -= y * Math.log(p) + (1 - y) * Math.log(1 - p);
            }
        }
        return sum / t.rows();
    }

    @Test
    void fineTuningAfterPretrainingClassifiesTheMnistSample() {
        // ReLU, so the second stage takes the linear-output, squared-error path (the sigmoid path
        // is covered above) and the short fine-tuning gets far: a sigmoid [64, 32] reached 0.70.
        StackedAutoencoderConfig c = new StackedAutoencoderConfig(
                784,
                List.of(64, 32),
                Activation.RELU,
                Corruption.Kind.MASKING,
                0.2,
                1,
                3e-3,
                10,
                WeightInit.HE_UNIFORM,
                0.1);
        StackedAutoencoder model = build(c, 3);
        ImageDataset small = train.head(1000);
        TrainerConfig fineTune = new TrainerConfig(4, 50, Optimizer.ADAM, 3e-3, 0, 0, 3, 0, 0, 0);
        model.pretrain(small, fineTune);
        new Trainer(fineTune).fit(model, small, null);
        Map<String, Double> metrics = model.summaryMetrics(model.evaluate(test, 250, 3));
        double accuracy = metrics.get("accuracy");
        assertEquals(1.0 - metrics.get(StackedAutoencoder.ERROR_RATE), accuracy, 1e-12);
        System.out.println("stacked-ae relu [64, 32] on 1,000 sample images: test accuracy " + accuracy);
        // Chance is 0.1.
        assertTrue(accuracy > 0.75, "test accuracy " + accuracy);
        List<StackedAutoencoder.StageResult> stages = model.pretrainingResults();
        assertTrue(stages.get(1).lossAfter() < stages.get(1).lossBefore(), "squared-error stage: " + stages.get(1));
    }
}
