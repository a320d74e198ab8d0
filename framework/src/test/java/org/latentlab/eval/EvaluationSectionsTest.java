package org.latentlab.eval;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.latentlab.core.AutoencoderModel;
import org.latentlab.data.Corruption;
import org.latentlab.data.DataBundle;
import org.latentlab.data.Datasets;
import org.latentlab.data.ImageDataset;
import org.latentlab.loss.NoiseSource;
import org.latentlab.train.TinyAutoencoder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The evaluator's sections on generated and corrupted images, on a deterministic autoencoder and the MNIST sample,
 * against direct computations: the classifier's verdict on real images and decoded random codes, and denoising.
 * Whether a trained model does better than an untrained one is the models module's GenerationEvaluationTest.
 */
class EvaluationSectionsTest {
    private static final long SEED = 4;
    private static ImageDataset train;
    private static ImageDataset test;
    private static ImageClassifier judge;

    @BeforeAll
    static void setUp() {
        DataBundle bundle = Datasets.load(Datasets.MNIST_SAMPLE);
        train = bundle.train();
        test = bundle.test();
        judge = ImageClassifier.train(train, 64, 2, 9);
    }

    private static EvaluationOptions quick() {
        return EvaluationOptions.defaults()
                .withImportanceSampling(0, 0)
                .withProbes(0, 0)
                .withJacobian(0, 1e-2, 0)
                .withClassifierEpochs(0)
                .withSeed(SEED);
    }

    private static void assertSameVerdict(EvaluationResult.SamplerVerdict want, EvaluationResult.SamplerVerdict got) {
        assertEquals(want.images(), got.images());
        assertEquals(want.confidence(), got.confidence(), 1e-12);
        assertEquals(want.confidentShare(), got.confidentShare(), 1e-12);
        assertEquals(want.classEntropy(), got.classEntropy(), 1e-12);
        assertArrayEquals(want.classCounts(), got.classCounts());
    }

    @Test
    void judgeSummarisesTheClassifiersProbabilities() {
        INDArray images = test.features();
        double[][] p = judge.probabilities(images).toDoubleMatrix();
        int[] predicted = judge.predict(images);
        assertEquals(test.size(), p.length);
        double maxSum = 0;
        int confident = 0;
        int[] counts = new int[10];
        for (int i = 0; i < p.length; i++) {
            double sum = 0;
            int best = 0;
            for (int c = 0; c < 10; c++) {
                sum += p[i][c];
                best = p[i][c] > p[i][best] ? c : best;
            }
            assertEquals(1.0, sum, 1e-12, "row " + i);
            assertEquals(predicted[i], best, "the most probable class is the predicted one, row " + i);
            maxSum += p[i][best];
            confident += p[i][best] >= 0.9 ? 1 : 0;
            counts[best]++;
        }
        double entropy = 0;
        for (int c : counts) {
            entropy -= c == 0 ? 0 : (double) c / p.length * Math.log((double) c / p.length);
        }
        EvaluationResult.SamplerVerdict v = Evaluator.judge(judge, images);
        assertEquals(test.size(), v.images());
        assertEquals(maxSum / p.length, v.confidence(), 1e-12);
        assertEquals((double) confident / p.length, v.confidentShare(), 1e-12);
        assertArrayEquals(counts, v.classCounts());
        assertEquals(entropy, v.classEntropy(), 1e-12);
        // Real test images of every class: the predicted classes are spread, near log 10.
        assertTrue(v.classEntropy() > 2.0 && v.classEntropy() <= Math.log(10) + 1e-12, v.toString());
    }

    @Test
    void largeInputsGoInChunksWithTheSameRows() {
        // 2,000 training images: two classifier calls; 1,200 codes: three decoder calls.
        double[][] all = judge.probabilities(train.features()).toDoubleMatrix();
        for (int row : new int[] {0, 999, 1000, 1999}) {
            double[] alone =
                    judge.probabilities(train.features(new int[] {row})).toDoubleMatrix()[0];
            assertArrayEquals(alone, all[row], 1e-6, "row " + row);
        }
        AutoencoderModel<?> model = TinyAutoencoder.TYPE.build(new TinyAutoencoder.Config(784, 6, 1.0), 8);
        INDArray codes = GaussianFit.standard(6).sample(1200, new NoiseSource(1));
        float[][] decoded = RandomCodes.decode(model, codes).toFloatMatrix();
        float[][] direct = model.decode(codes.castTo(DataType.FLOAT)).toFloatMatrix();
        assertEquals(1200, decoded.length);
        for (int row : new int[] {0, 499, 500, 1199}) {
            assertArrayEquals(direct[row], decoded[row], 1e-6f, "row " + row);
        }
    }

    @Test
    void theSampleVerdictOfAnAutoencoderDecodesCodesFromTheSharedCodePath() {
        AutoencoderModel<?> model = TinyAutoencoder.TYPE.build(new TinyAutoencoder.Config(784, 6, 1.0), 8);
        EvaluationOptions opts = quick().withSampleImages(300);
        EvaluationResult r = Evaluator.evaluate(model, train, test, opts, new Evaluator.Judge(judge, "loaded", 0));
        EvaluationResult.SampleVerdict s = r.samples();
        assertEquals(300, s.images());
        assertNull(s.prior(), "no prior: the autoencoder is not Generative");
        assertSameVerdict(Evaluator.judge(judge, test.head(300).features()), s.real());

        // N(0, I) codes and codes from the Gaussian fitted to all 2,000 training codes, decoded: as RunPlots draws
        // them.
        INDArray standard = GaussianFit.standard(6).sample(300, new NoiseSource(SEED + Evaluator.NORMAL_SAMPLE_STREAM));
        assertSameVerdict(Evaluator.judge(judge, model.decode(standard.castTo(DataType.FLOAT))), s.normal());
        RandomCodes.Fitted fit = RandomCodes.fitTrainingCodes(model, train, SEED + Evaluator.FIT_SUBSET_STREAM);
        assertEquals(train.size(), fit.codes());
        assertEquals(train.size(), s.fittedCodes());
        INDArray fitted = fit.fit().sample(300, new NoiseSource(SEED + Evaluator.FITTED_SAMPLE_STREAM));
        assertSameVerdict(Evaluator.judge(judge, model.decode(fitted.castTo(DataType.FLOAT))), s.fitted());
        assertEquals(fit.fit().jitter(), s.fitJitter());

        for (EvaluationResult.SamplerVerdict v : List.of(s.real(), s.normal(), s.fitted())) {
            assertEquals(300, Arrays.stream(v.classCounts()).sum(), v.toString());
            assertTrue(v.classEntropy() >= 0 && v.classEntropy() <= Math.log(10) + 1e-12, v.toString());
            assertTrue(v.confidence() >= 0.1 && v.confidence() <= 1, v.toString());
        }
        Map<String, Double> headline = r.headline();
        assertEquals(s.normal().confidence(), headline.get("samples_normal_confidence"));
        assertEquals(s.fitted().confidence(), headline.get("samples_fitted_confidence"));
        assertEquals(s.fitted().confidentShare(), headline.get("samples_fitted_confident_share"));
        assertEquals(s.fitted().classEntropy(), headline.get("samples_fitted_class_entropy"));
        assertEquals(s.real().confidence(), headline.get("samples_real_confidence"));
        assertFalse(headline.containsKey("samples_prior_confidence"));
        // No likelihood, no posterior; no corruption asked for, no denoising.
        assertNull(r.posterior());
        assertNull(r.denoising());
        assertFalse(headline.containsKey("kl_per_image") || headline.containsKey("denoising_mse"));
        assertEquals(r.toJson(), EvaluationResult.fromJson(r.toJson(), "test").toJson());

        // Skipped without a classifier, and with 0 sample images.
        assertNull(Evaluator.evaluate(model, train, test, opts).samples());
        assertNull(Evaluator.evaluate(model, train, test, opts.withSampleImages(0), new Evaluator.Judge(judge, "x", 0))
                .samples());
    }

    @Test
    void denoisingOfAPlainAutoencoderAgreesWithADirectComputation() {
        AutoencoderModel<?> model = TinyAutoencoder.TYPE.build(new TinyAutoencoder.Config(784, 6, 1.0), 9);
        Corruption masking = new Corruption(Corruption.Kind.MASKING, 0.3);
        EvaluationResult r = Evaluator.evaluate(
                model, train, test, quick().withDenoising(masking).withBatchSize(128));

        INDArray clean = test.features();
        INDArray noisy = masking.apply(clean, new NoiseSource(SEED + Evaluator.DENOISING_STREAM));
        INDArray denoised = model.graph()
                .output(Map.of(AutoencoderModel.INPUT, noisy), AutoencoderModel.RECONSTRUCTION)
                .get(AutoencoderModel.RECONSTRUCTION);
        EvaluationResult.DenoisingScore d = r.denoising();
        assertEquals(masking, d.corruption());
        assertEquals(test.size(), d.images());
        assertEquals(Metrics.mean(Metrics.msePerPixel(clean, denoised)), d.msePerPixel(), 1e-9);
        assertEquals(Metrics.mean(Metrics.msePerPixel(clean, noisy)), d.noisyMsePerPixel(), 1e-12);
        // Masking zeroes 30% of the pixels: the noisy error is 0.3 of the mean squared pixel.
        double meanSquare = clean.castTo(DataType.DOUBLE)
                .mul(clean.castTo(DataType.DOUBLE))
                .meanNumber()
                .doubleValue();
        assertEquals(0.3 * meanSquare, d.noisyMsePerPixel(), 0.03 * meanSquare);
        assertEquals(d.msePerPixel(), r.headline().get("denoising_mse"));
        assertEquals(d.noisyMsePerPixel(), r.headline().get("denoising_noisy_mse"));
        // The draw depends on the seed, not on the batch size (the reconstructions may differ in the last bits: with
        // OpenBLAS's SkylakeX kernels a product of 128 rows and one of 500 round differently).
        EvaluationResult.DenoisingScore otherBatches = Evaluator.denoising(model, test, quick().withDenoising(masking));
        assertEquals(d.noisyMsePerPixel(), otherBatches.noisyMsePerPixel());
        assertEquals(d.msePerPixel(), otherBatches.msePerPixel(), 1e-9);
        assertEquals(d.images(), otherBatches.images());
        assertNotEquals(
                d.noisyMsePerPixel(),
                Evaluator.denoising(model, test, quick().withDenoising(masking).withSeed(5))
                        .noisyMsePerPixel());
    }

    @Test
    void anEvaluationWrittenBeforeTheseSectionsStillReads() throws Exception {
        AutoencoderModel<?> model = TinyAutoencoder.TYPE.build(new TinyAutoencoder.Config(784, 4, 1.0), 5);
        EvaluationResult r = Evaluator.evaluate(
                model,
                train,
                test,
                quick().withSampleImages(50).withDenoising(new Corruption(Corruption.Kind.GAUSSIAN, 0.2)),
                new Evaluator.Judge(judge, "loaded", 0));
        assertNotNull(r.samples());
        assertNotNull(r.denoising());
        ObjectMapper json = new ObjectMapper();
        ObjectNode old = (ObjectNode) json.readTree(r.toJson());
        old.remove(List.of("samples", "denoising", "posterior"));
        ((ObjectNode) old.get("options")).remove(List.of("sample_images", "denoising"));
        EvaluationResult back = EvaluationResult.fromJson(json.writeValueAsString(old), "old evaluation.json");
        assertNull(back.samples());
        assertNull(back.denoising());
        assertNull(back.posterior());
        assertEquals(0, back.options().sampleImages());
        assertEquals(Corruption.NONE, back.options().denoising());
        assertEquals(r.reconstruction(), back.reconstruction());
        assertFalse(back.headline().containsKey("samples_fitted_confidence"));
        assertFalse(back.headline().containsKey("denoising_mse"));
        assertTrue(back.headline().containsKey("recon_mse_per_pixel"));
    }
}
