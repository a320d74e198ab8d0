package org.latentlab.models.vae;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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
import org.latentlab.loss.Likelihood;
import org.latentlab.models.Models;
import org.latentlab.train.Optimizer;
import org.latentlab.train.Trainer;
import org.latentlab.train.TrainerConfig;

/** The evaluator on a VAE trained briefly on the MNIST sample: the likelihood metrics. */
class VaeEvaluationTest {
    private static ImageDataset train;
    private static ImageDataset test;
    private static Vae vae;

    @BeforeAll
    static void trainSmallVae() {
        DataBundle bundle = Datasets.load(Datasets.MNIST_SAMPLE);
        train = bundle.train();
        test = bundle.test();
        vae = (Vae) Models.VAE.build(
                new VaeConfig(784, List.of(64), 8, Activation.RELU, 1.0, WeightInit.PYTORCH_DEFAULT), 1);
        // Few large steps: per-step overhead, not arithmetic, dominates SameDiff training here.
        new Trainer(new TrainerConfig(2, 200, Optimizer.ADAM, 4e-3, 0, 0, 1, 0, 0, 0)).fit(vae, train, null);
    }

    private static EvaluationResult.ImportanceSampling estimate(int k, int images, long seed) {
        EvaluationOptions opts =
                EvaluationOptions.defaults().withImportanceSampling(k, images).withSeed(seed);
        return Evaluator.importanceSampling(vae, test, opts);
    }

    @Test
    void oneSampleGivesTheElboAndAHundredSamplesRiseAboveIt() {
        double elbo = -vae.summaryMetrics(vae.evaluate(test.head(200), 100, 3)).get("neg_elbo");
        // k = 1: log w itself, an unbiased estimate of the ELBO (whose KL the graph takes in closed form).
        EvaluationResult.ImportanceSampling one = estimate(1, 200, 4);
        assertEquals(elbo, one.logLikelihood(), 4 * one.standardError() + 0.5, "k = 1 estimate vs ELBO");
        assertEquals(one.logLikelihood(), one.meanLogWeight(), 1e-9);
        // k = 100 (Jensen): above the ELBO on average, by the posterior's gap, which is a few nats here.
        EvaluationResult.ImportanceSampling hundred = estimate(100, 200, 5);
        assertTrue(hundred.logLikelihood() > elbo + 0.5, "k = 100: " + hundred.logLikelihood() + " vs ELBO " + elbo);
        assertTrue(hundred.logLikelihood() < elbo + 30, "k = 100: " + hundred.logLikelihood() + " vs ELBO " + elbo);
        assertTrue(hundred.logLikelihood() > hundred.meanLogWeight());
        assertEquals(elbo, hundred.meanLogWeight(), 1.0, "the mean log weight is the ELBO again");
    }

    @Test
    void bitsPerDimensionOnlyWhereTheEstimateIsTheProbabilityOfADiscreteImage() {
        // A Bernoulli decoder on grey levels: log p(x) is no probability of the image; no bits per dimension.
        EvaluationResult.ImportanceSampling grey = estimate(5, 50, 6);
        assertFalse(grey.dequantized());
        assertNull(grey.bitsPerDim());
        // On binary images it is: -log2 P(x) / D.
        ImageDataset binary = Datasets.load(Datasets.BINARIZED_MNIST_SAMPLE).test();
        EvaluationOptions opts =
                EvaluationOptions.defaults().withImportanceSampling(5, 50).withSeed(6);
        EvaluationResult.ImportanceSampling bits = Evaluator.importanceSampling(vae, binary, opts);
        assertFalse(bits.dequantized());
        assertEquals(-bits.logLikelihood() / (784 * Math.log(2)), bits.bitsPerDim(), 1e-12);
        // A Gaussian decoder has a density: the 8-bit images are dequantized first, and D log 256 converts the
        // density on [0, 1]^D to one on the 256 levels of each pixel.
        Vae gaussian = (Vae) Models.VAE.build(
                new VaeConfig(784, List.of(64), 8, Activation.RELU, 1.0, WeightInit.PYTORCH_DEFAULT)
                        .withLikelihood(Likelihood.GAUSSIAN, 0.1),
                2);
        assertTrue(gaussian.continuousDensity());
        EvaluationResult.ImportanceSampling deq = Evaluator.importanceSampling(gaussian, test, opts);
        assertTrue(deq.dequantized());
        assertEquals((-deq.logLikelihood() + 784 * Math.log(256)) / (784 * Math.log(2)), deq.bitsPerDim(), 1e-12);
        // The same seed dequantizes the same way: the estimate repeats exactly.
        assertEquals(deq, Evaluator.importanceSampling(gaussian, test, opts));
        assertNotEquals(
                deq.logLikelihood(),
                Evaluator.importanceSampling(gaussian, test, opts.withSeed(7)).logLikelihood());
    }

    @Test
    void aFullEvaluationOfTheSampleTestSetAgreesWithTheModelsOwnMetrics() {
        EvaluationOptions opts = EvaluationOptions.defaults()
                .withImportanceSampling(20, 0)
                .withProbes(2000, 0)
                .withAnomaly(1, EvaluationOptions.AnomalyScore.AUTO);
        // No wall-clock bound: a test must not depend on the machine's load (issue 14); speed is the benchmark's.
        EvaluationResult r = Evaluator.evaluate(vae, train, test, opts);

        double negElbo = vae.summaryMetrics(vae.evaluate(test, 500, 1)).get("neg_elbo");
        assertEquals(negElbo, r.negElbo(), 1e-9);
        assertEquals(negElbo, r.testTerms().get("neg_elbo"), 1e-9);
        assertEquals(500, r.importanceSampling().images());
        assertTrue(r.importanceSampling().logLikelihood() > -negElbo, r.importanceSampling() + " vs " + negElbo);

        // Reconstructions of a VAE sample z: the error is that of a stochastic reconstruction.
        assertTrue(
                r.reconstruction().msePerPixel() > 0 && r.reconstruction().msePerPixel() < 0.1,
                r.reconstruction().toString());
        assertTrue(r.reconstruction().bcePerImage() < negElbo, "the reconstruction term is below the negative ELBO");
        assertEquals(8, r.pca().components());

        assertTrue(
                r.probes().linearAccuracy() > 0.4, "linear probe " + r.probes().linearAccuracy());
        assertTrue(r.probes().knnAccuracy() > 0.4, "k-NN probe " + r.probes().knnAccuracy());
        assertTrue(
                r.activeUnits().active() >= 1 && r.activeUnits().active() <= 8,
                r.activeUnits().toString());

        EvaluationResult.Anomaly a = r.anomaly();
        assertEquals("neg_elbo", a.score());
        assertEquals(negElbo, Metrics.mean(a.scores()), 3.0, "the scores are negative ELBOs");
        boolean[] anomalous = new boolean[test.size()];
        for (int i = 0; i < anomalous.length; i++) {
            anomalous[i] = test.label(i) != 1;
        }
        assertEquals(Metrics.auroc(a.scores(), anomalous), a.auroc(), 1e-12);
        // Ones have the fewest pixels on, so even a VAE of all digits gives them the lowest scores.
        assertTrue(a.auroc() > 0.6, "AUROC " + a.auroc());
        assertEquals(r.toJson(), EvaluationResult.fromJson(r.toJson(), "test").toJson());

        // The posterior: its KL per image is the model's own closed-form KL term, here computed in double.
        EvaluationResult.PosteriorStatistics q = r.posterior();
        double kl = vae.evaluate(test, 500, 1).get(AbstractVae.KL);
        assertEquals(test.size(), q.images());
        assertEquals(kl, q.klPerImage(), 1e-5 * kl, "KL per image vs the model's kl term");
        assertEquals(q.klPerImage(), Arrays.stream(q.unitKl()).sum(), 1e-9);
        assertEquals(8, q.unitMeanSigma().length);
        assertEquals(Metrics.mean(q.unitMeanSigma()), q.meanSigma(), 1e-12);
        // A unit with sigma near 1 is near the prior; a used one is narrower. Every sigma is positive.
        assertTrue(q.meanSigma() > 0 && q.meanSigma() < 1.2, q.toString());
        assertTrue(Arrays.stream(q.unitMeanSigma()).min().getAsDouble() < 0.9, Arrays.toString(q.unitMeanSigma()));
        assertEquals(q.meanSigma(), r.headline().get("posterior_mean_sigma"));
        assertEquals(q.klPerImage(), r.headline().get("kl_per_image"));
        // The defaults train a classifier, which then judges 1,000 images from each sampler.
        assertEquals(EvaluationOptions.SAMPLE_IMAGES, r.samples().prior().images());
    }

    @Test
    void theClassifierJudgesTheVaesPriorSamplesAndTheUntrainedVaeHasNoPosteriorToSpeakOf() {
        ImageClassifier judge = ImageClassifier.train(train, 64, 2, 9);
        EvaluationOptions opts = EvaluationOptions.defaults()
                .withImportanceSampling(0, 0)
                .withProbes(0, 0)
                .withJacobian(0, 1e-2, 0)
                .withSampleImages(200);
        EvaluationResult r = Evaluator.evaluate(vae, train, test, opts, new Evaluator.Judge(judge, "loaded", 0));
        EvaluationResult.SampleVerdict s = r.samples();
        for (EvaluationResult.SamplerVerdict v : List.of(s.real(), s.prior(), s.normal(), s.fitted())) {
            assertEquals(200, v.images());
            assertEquals(200, Arrays.stream(v.classCounts()).sum());
        }
        assertEquals(s.prior().confidence(), r.headline().get("samples_prior_confidence"));
        // Same seed, same draws.
        assertArrayEquals(
                s.prior().classCounts(),
                Evaluator.sampleVerdict(vae, train, test, judge, opts).prior().classCounts());

        // Untrained: q(z|x) is about N(0, I) for every image, so its KL is near 0 and sigma near 1.
        Vae untrained = (Vae) Models.VAE.build(
                new VaeConfig(784, List.of(64), 8, Activation.RELU, 1.0, WeightInit.PYTORCH_DEFAULT), 1);
        EvaluationResult.PosteriorStatistics q = Evaluator.posterior(untrained, test, 128);
        assertTrue(q.klPerImage() < 0.5, q.toString());
        assertEquals(1.0, q.meanSigma(), 0.1, q.toString());
        assertTrue(r.posterior().klPerImage() > q.klPerImage() + 1, "training uses the code: " + r.posterior());
    }
}
