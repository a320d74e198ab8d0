package org.latentlab.models.vae;

import static org.junit.jupiter.api.Assertions.*;

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
import org.latentlab.graph.Activation;
import org.latentlab.graph.WeightInit;
import org.latentlab.loss.Likelihood;
import org.latentlab.loss.NoiseSource;
import org.latentlab.models.Models;
import org.latentlab.train.Optimizer;
import org.latentlab.train.Trainer;
import org.latentlab.train.TrainerConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

class IwaeTest {
    private static ImageDataset train;
    private static ImageDataset test;

    @BeforeAll
    static void loadSample() {
        DataBundle bundle = Datasets.load(Datasets.MNIST_SAMPLE);
        train = bundle.train().head(256);
        test = bundle.test().head(100);
    }

    private static IwaeConfig config(int k) {
        return new IwaeConfig(
                784, List.of(16), 2, k, Activation.RELU, WeightInit.PYTORCH_DEFAULT, Likelihood.BERNOULLI, 0.1);
    }

    private static Batch batch(int n) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        return new Batch(test.features(idx), test.labels(idx), idx);
    }

    private static double logNormal(double v, double mean, double logVar) {
        double d = v - mean;
        return -0.5 * (Math.log(2 * Math.PI) + logVar + d * d / Math.exp(logVar));
    }

    /** Log weights and the bound against plain Java with the Gaussian densities written out. */
    @Test
    void boundMatchesPlainJavaOnATinyCase() {
        int k = 4;
        int n = 3;
        Iwae iwae = (Iwae) Models.IWAE.build(config(k), 1);
        Map<String, INDArray> feeds = iwae.feeds(batch(n), new NoiseSource(9));
        INDArray eps = feeds.get(Iwae.EPS);
        assertArrayEquals(new long[] {k, n, 2}, eps.shape());
        Map<String, INDArray> out = iwae.graph()
                .output(
                        feeds,
                        AutoencoderModel.CODE,
                        "log_var",
                        "recon_per_sample",
                        Iwae.LOG_WEIGHTS,
                        AutoencoderModel.LOSS,
                        Iwae.NEG_ELBO_K);
        INDArray mu = out.get(AutoencoderModel.CODE);
        INDArray logVar = out.get("log_var");
        INDArray nll = out.get("recon_per_sample");
        INDArray logW = out.get(Iwae.LOG_WEIGHTS);
        double lossSum = 0;
        double elboSum = 0;
        for (int ex = 0; ex < n; ex++) {
            double[] lw = new double[k];
            for (int s = 0; s < k; s++) {
                double logP = 0;
                double logQ = 0;
                for (int j = 0; j < 2; j++) {
                    double m = mu.getDouble(ex, j);
                    double lv = logVar.getDouble(ex, j);
                    double z = m + Math.exp(0.5 * lv) * eps.getDouble(s, ex, j);
                    logP += logNormal(z, 0, 0);
                    logQ += logNormal(z, m, lv);
                }
                lw[s] = -nll.getDouble(s * n + ex) + logP - logQ;
                assertEquals(lw[s], logW.getDouble(s, ex), 1e-3, "log w[" + s + ", " + ex + "]");
            }
            double max = Double.NEGATIVE_INFINITY;
            for (double v : lw) {
                max = Math.max(max, v);
            }
            double sumExp = 0;
            double mean = 0;
            for (double v : lw) {
                sumExp += Math.exp(v - max);
                mean += v / k;
            }
            lossSum += -(max + Math.log(sumExp) - Math.log(k));
            elboSum += -mean;
        }
        assertEquals(lossSum / n, out.get(AutoencoderModel.LOSS).getDouble(0), 1e-3);
        assertEquals(elboSum / n, out.get(Iwae.NEG_ELBO_K).getDouble(0), 1e-3);
        assertTrue(lossSum < elboSum, "the k-sample bound is at least the ELBO");
    }

    @Test
    void theBoundIsAtLeastTheElboOnEveryBatchAndTightensWithK() {
        Iwae k1 = (Iwae) Models.IWAE.build(config(1), 3);
        Iwae k20 = (Iwae) Models.IWAE.build(config(20), 3);
        for (long seed = 0; seed < 5; seed++) {
            Map<String, Double> t = k20.evaluate(test, 25, seed);
            assertTrue(t.get("loss") <= t.get(Iwae.NEG_ELBO_K) + 1e-4, t.toString());
        }
        // Same weights (same seed), more samples: a smaller negated bound on average.
        double loss1 = k1.evaluate(test, 50, 1).get("loss");
        double loss20 = k20.evaluate(test, 50, 1).get("loss");
        assertTrue(loss20 < loss1 - 0.5, "k=20 " + loss20 + " vs k=1 " + loss1);
        // And training on the bound lowers it.
        new Trainer(new TrainerConfig(2, 32, Optimizer.ADAM, 1e-3, 0, 0, 1, 0, 0, 0)).fit(k20, train, null);
        assertTrue(k20.evaluate(test, 50, 1).get("loss") < loss20);
    }

    /**
     * With k = 1 and the same weights and eps, the IWAE's reconstruction term is the VAE's, and
     * its loss differs from the VAE's negative ELBO only by the sampled KL log q - log p in place of
     * the closed form, which agrees in expectation over eps.
     */
    @Test
    void oneSampleIsTheVaeElboWithASampledKl() {
        Iwae iwae = (Iwae) Models.IWAE.build(config(1), 4);
        Vae vae = (Vae) Models.VAE.build(
                new VaeConfig(784, List.of(16), 2, Activation.RELU, 1.0, WeightInit.PYTORCH_DEFAULT), 4);
        for (String p : vae.parameterNames()) {
            assertEquals(
                    vae.graph().getVariable(p).getArr(),
                    iwae.graph().getVariable(p).getArr(),
                    p);
        }
        Batch b = batch(20);
        int draws = 200;
        double[] diff = new double[draws];
        for (int d = 0; d < draws; d++) {
            INDArray eps = new NoiseSource(d).standardNormal(20, 2);
            Map<String, INDArray> v = vae.graph()
                    .output(
                            Map.of(AutoencoderModel.INPUT, b.features(), Vae.EPS, eps),
                            AutoencoderModel.LOSS,
                            Vae.RECON);
            Map<String, INDArray> w = iwae.graph()
                    .output(
                            Map.of(AutoencoderModel.INPUT, b.features(), Iwae.EPS, eps.reshape(1, 20, 2)),
                            AutoencoderModel.LOSS,
                            Iwae.RECON);
            assertEquals(v.get(Vae.RECON).getDouble(0), w.get(Iwae.RECON).getDouble(0), 1e-3);
            diff[d] = w.get(AutoencoderModel.LOSS).getDouble(0)
                    - v.get(AutoencoderModel.LOSS).getDouble(0);
        }
        double mean = 0;
        for (double x : diff) {
            mean += x / draws;
        }
        double var = 0;
        for (double x : diff) {
            var += (x - mean) * (x - mean) / (draws - 1);
        }
        double stderr = Math.sqrt(var / draws);
        assertTrue(stderr > 0, "the sampled KL varies with eps");
        assertEquals(0.0, mean, 4 * stderr + 1e-3, "mean difference " + mean + " +- " + stderr);
        assertEquals(List.of(AutoencoderModel.INPUT, Iwae.EPS), iwae.trainingPlaceholders());
        assertArrayEquals(
                new long[] {1, 7, 2}, iwae.trainingInputs(batch(7), new NoiseSource(1), Progress.DONE)[1].shape());
    }
}
