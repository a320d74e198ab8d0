package org.latentlab.models.vae;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.latentlab.core.AutoencoderModel;
import org.latentlab.core.LikelihoodModel;
import org.latentlab.data.Batch;
import org.latentlab.data.DataBundle;
import org.latentlab.data.Datasets;
import org.latentlab.data.ImageDataset;
import org.latentlab.eval.LogMath;
import org.latentlab.graph.Activation;
import org.latentlab.graph.WeightInit;
import org.latentlab.loss.Likelihood;
import org.latentlab.loss.NoiseSource;
import org.latentlab.models.Models;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The importance weights of the VAE family against a plain-Java computation from the graph's
 * posterior mean and log-variance and its decoder means at z = mu + sigma * eps, with the eps
 * each implementation documents drawing.
 */
class LikelihoodModelTest {
    private static final double LOG_2PI = Math.log(2 * Math.PI);
    private static ImageDataset train;
    private static ImageDataset test;

    @BeforeAll
    static void loadSample() {
        DataBundle bundle = Datasets.load(Datasets.MNIST_SAMPLE);
        train = bundle.train();
        test = bundle.test();
    }

    private static Batch batch(ImageDataset data, int n) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        return new Batch(data.features(idx), data.labels(idx), idx);
    }

    /** The encoder's mean and log-variance for the batch (with its one-hot condition for a cVAE). */
    private static double[][][] posterior(AutoencoderModel<?> m, Batch b) {
        Map<String, INDArray> feeds = new HashMap<>();
        feeds.put(AutoencoderModel.INPUT, b.features());
        if (m instanceof ConditionalVae c) {
            feeds.put(ConditionalVae.CONDITION, c.oneHot(b.labels()));
        }
        Map<String, INDArray> out = m.graph().output(feeds, AutoencoderModel.CODE, "log_var");
        return new double[][][] {
            out.get(AutoencoderModel.CODE).castTo(DataType.DOUBLE).toDoubleMatrix(),
            out.get("log_var").castTo(DataType.DOUBLE).toDoubleMatrix()
        };
    }

    private static double[][] decoded(AutoencoderModel<?> m, double[][] z, int[] labels) {
        INDArray codes = Nd4j.create(z).castTo(DataType.FLOAT);
        INDArray means = m instanceof ConditionalVae c ? c.decode(codes, labels) : m.decode(codes);
        return means.castTo(DataType.DOUBLE).toDoubleMatrix();
    }

    /** log w for one image: log p(x|z) + log p(z) - log q(z|x), all in double. */
    private static double logWeight(
            double[] x,
            double[] mean,
            double[] mu,
            double[] logVar,
            double[] eps,
            Likelihood likelihood,
            double sigma) {
        double logPxz = 0;
        for (int p = 0; p < x.length; p++) {
            logPxz += switch (likelihood) {
                case BERNOULLI -> x[p] * Math.log(mean[p]) + (1 - x[p]) * Math.log(1 - mean[p]);
                case GAUSSIAN ->
                    -(x[p] - mean[p]) * (x[p] - mean[p]) / (2 * sigma * sigma) - Math.log(sigma) - 0.5 * LOG_2PI;
            };
        }
        double logPz = 0;
        double logQz = 0;
        for (int j = 0; j < mu.length; j++) {
            double z = mu[j] + Math.exp(0.5 * logVar[j]) * eps[j];
            logPz += -0.5 * z * z - 0.5 * LOG_2PI;
            logQz += -0.5 * LOG_2PI - 0.5 * logVar[j] - 0.5 * eps[j] * eps[j];
        }
        return logPxz + logPz - logQz;
    }

    /**
     * Expected weights [N][k] given eps[i][n][:] for sample i of image n.
     */
    private static double[][] expected(AutoencoderModel<?> m, Batch b, double[][][] eps, Likelihood lik, double sigma) {
        double[][][] post = posterior(m, b);
        double[][] x = b.features().castTo(DataType.DOUBLE).toDoubleMatrix();
        int n = b.size();
        double[][] w = new double[n][eps.length];
        for (int i = 0; i < eps.length; i++) {
            double[][] z = new double[n][];
            for (int r = 0; r < n; r++) {
                z[r] = new double[post[0][r].length];
                for (int j = 0; j < z[r].length; j++) {
                    z[r][j] = post[0][r][j] + Math.exp(0.5 * post[1][r][j]) * eps[i][r][j];
                }
            }
            double[][] means = decoded(m, z, b.labels());
            for (int r = 0; r < n; r++) {
                w[r][i] = logWeight(x[r], means[r], post[0][r], post[1][r], eps[i][r], lik, sigma);
            }
        }
        return w;
    }

    /** The eps AbstractVae documents: per call of s samples, standardNormal(s * N, latent), row i*N + n. */
    private static double[][][] abstractVaeEps(long seed, int n, int latent, int... chunks) {
        NoiseSource noise = new NoiseSource(seed);
        List<double[][]> samples = new ArrayList<>();
        for (int s : chunks) {
            double[][] rows =
                    noise.standardNormal(s * n, latent).castTo(DataType.DOUBLE).toDoubleMatrix();
            for (int i = 0; i < s; i++) {
                samples.add(Arrays.copyOfRange(rows, i * n, (i + 1) * n));
            }
        }
        return samples.toArray(double[][][]::new);
    }

    private static void assertWeights(double[][] expected, INDArray actual) {
        assertArrayEquals(new long[] {expected.length, expected[0].length}, actual.shape());
        assertEquals(DataType.DOUBLE, actual.dataType());
        double[][] a = actual.toDoubleMatrix();
        for (int r = 0; r < expected.length; r++) {
            for (int i = 0; i < expected[r].length; i++) {
                double tol = 1e-5 * Math.abs(expected[r][i]) + 1e-3;
                assertEquals(expected[r][i], a[r][i], tol, "image " + r + ", sample " + i);
            }
            // The estimate itself: log-mean-exp of the independently computed weights.
            assertEquals(
                    LogMath.logMeanExp(expected[r]), LogMath.logMeanExp(a[r]), 1e-5 * Math.abs(expected[r][0]) + 1e-3);
        }
    }

    private static VaeConfig tinyVae() {
        return new VaeConfig(784, List.of(32), 3, Activation.RELU, 1.0, WeightInit.PYTORCH_DEFAULT);
    }

    @Test
    void bernoulliVaeWeightsEqualThePlainJavaComputation() {
        Vae vae = (Vae) Models.VAE.build(tinyVae(), 1);
        Batch b = batch(test, 5);
        INDArray w = vae.logImportanceWeights(b, 4, new NoiseSource(9));
        assertWeights(expected(vae, b, abstractVaeEps(9, 5, 3, 4), Likelihood.BERNOULLI, 0), w);
    }

    @Test
    void gaussianVaeWeightsUseItsFixedSigma() {
        Vae vae = (Vae) Models.VAE.build(tinyVae().withLikelihood(Likelihood.GAUSSIAN, 0.3), 2);
        Batch b = batch(test, 4);
        INDArray w = vae.logImportanceWeights(b, 3, new NoiseSource(5));
        assertWeights(expected(vae, b, abstractVaeEps(5, 4, 3, 3), Likelihood.GAUSSIAN, 0.3), w);
    }

    @Test
    void weightsOfManySamplesAreComputedInSeveralCallsWithTheSameResult() {
        Vae vae = (Vae) Models.VAE.build(tinyVae(), 3);
        int n = 1500; // 4096 rows per call: calls of 2, 2 and 1 samples
        assertEquals(2, AbstractVae.IMPORTANCE_ROWS_PER_CALL / n);
        Batch b = batch(train, n);
        INDArray w = vae.logImportanceWeights(b, 5, new NoiseSource(4));
        assertWeights(expected(vae, b, abstractVaeEps(4, n, 3, 2, 2, 1), Likelihood.BERNOULLI, 0), w);
    }

    @Test
    void convVaeWeightsEqualThePlainJavaComputation() {
        ConvVaeConfig cfg = new ConvVaeConfig(
                784,
                1,
                List.of(4, 8),
                4,
                3,
                Activation.RELU,
                1.0,
                WeightInit.PYTORCH_DEFAULT,
                Likelihood.BERNOULLI,
                0.1,
                0);
        ConvVae vae = (ConvVae) Models.CONV_VAE.build(cfg, 4);
        Batch b = batch(test, 3);
        INDArray w = vae.logImportanceWeights(b, 2, new NoiseSource(6));
        assertWeights(expected(vae, b, abstractVaeEps(6, 3, 3, 2), Likelihood.BERNOULLI, 0), w);
    }

    @Test
    void conditionalVaeWeightsAreThoseOfTheBatchLabels() {
        ConditionalVaeConfig cfg = new ConditionalVaeConfig(
                784,
                List.of(32),
                3,
                10,
                Activation.RELU,
                1.0,
                WeightInit.PYTORCH_DEFAULT,
                Likelihood.BERNOULLI,
                0.1,
                0);
        ConditionalVae cvae = (ConditionalVae) Models.CVAE.build(cfg, 5);
        Batch b = batch(test, 5);
        INDArray w = cvae.logImportanceWeights(b, 3, new NoiseSource(8));
        assertWeights(expected(cvae, b, abstractVaeEps(8, 5, 3, 3), Likelihood.BERNOULLI, 0), w);
        int[] otherLabels = Arrays.stream(b.labels()).map(l -> (l + 1) % 10).toArray();
        INDArray other =
                cvae.logImportanceWeights(new Batch(b.features(), otherLabels, b.indices()), 3, new NoiseSource(8));
        assertNotEquals(w, other, "the condition comes from the labels");
    }

    @Test
    void iwaeWeightsComeInCallsOfItsOwnKWithTheSurplusDropped() {
        IwaeConfig cfg = new IwaeConfig(
                784, List.of(32), 3, 3, Activation.RELU, WeightInit.PYTORCH_DEFAULT, Likelihood.BERNOULLI, 0.1);
        Iwae iwae = (Iwae) Models.IWAE.build(cfg, 6);
        Batch b = batch(test, 4);
        INDArray w = iwae.logImportanceWeights(b, 7, new NoiseSource(3));
        // Three calls, each drawing [3, N, latent]; the last two draws of the third call are unused.
        NoiseSource noise = new NoiseSource(3);
        double[][][] eps = new double[7][][];
        for (int call = 0; call < 3; call++) {
            INDArray e = noise.standardNormal(DataType.FLOAT, 3, 4, 3).castTo(DataType.DOUBLE);
            for (int i = 0; i < 3 && call * 3 + i < 7; i++) {
                eps[call * 3 + i] = e.get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.all())
                        .toDoubleMatrix();
            }
        }
        assertWeights(expected(iwae, b, eps, Likelihood.BERNOULLI, 0), w);
        // Its per-image negative ELBO is minus the mean of one call's weights.
        double[][] first = expected(iwae, b, Arrays.copyOf(eps, 3), Likelihood.BERNOULLI, 0);
        double[] negElbo = iwae.negElboPerExample(b, new NoiseSource(3)).toDoubleVector();
        for (int r = 0; r < 4; r++) {
            assertEquals(-(first[r][0] + first[r][1] + first[r][2]) / 3, negElbo[r], 1e-2);
        }
    }

    @Test
    void theDecoderOnlyPathGivesTheWeightsOfTheTrainingPathFromTheSameDraws() {
        Vae vae = (Vae) Models.VAE.build(tinyVae(), 7);
        assertTrue(DecoderImportance.supports(vae.graph()));
        Batch b = batch(test, 6);
        double[][] fast = vae.logImportanceWeights(b, 9, new NoiseSource(11)).toDoubleMatrix();
        double[][] slow = vae.trainingPathWeights(b, 9, new NoiseSource(11)).toDoubleMatrix();
        for (int r = 0; r < 6; r++) {
            for (int i = 0; i < 9; i++) {
                assertEquals(slow[r][i], fast[r][i], 1e-5 * Math.abs(slow[r][i]) + 1e-3, "image " + r + " sample " + i);
            }
        }
        assertNotEquals(
                vae.logImportanceWeights(b, 9, new NoiseSource(12)),
                vae.logImportanceWeights(b, 9, new NoiseSource(11)));
    }

    @Test
    void thePosteriorIsTheEncodersMeanAndLogVarianceGivenTheLabels() {
        ConditionalVaeConfig cvaeConfig = new ConditionalVaeConfig(
                784,
                List.of(32),
                3,
                10,
                Activation.RELU,
                1.0,
                WeightInit.PYTORCH_DEFAULT,
                Likelihood.BERNOULLI,
                0.1,
                0);
        IwaeConfig iwaeConfig = new IwaeConfig(
                784, List.of(32), 3, 3, Activation.RELU, WeightInit.PYTORCH_DEFAULT, Likelihood.BERNOULLI, 0.1);
        Batch b = batch(test, 6);
        for (AutoencoderModel<?> m : List.of(
                Models.VAE.build(tinyVae(), 1), Models.CVAE.build(cvaeConfig, 5), Models.IWAE.build(iwaeConfig, 6))) {
            LikelihoodModel.Posterior q = ((LikelihoodModel) m).posterior(b);
            double[][][] expected = posterior(m, b);
            assertArrayEquals(expected[0], q.mean().castTo(DataType.DOUBLE).toDoubleMatrix(), m.typeName());
            assertArrayEquals(
                    expected[1], q.logVariance().castTo(DataType.DOUBLE).toDoubleMatrix(), m.typeName());
            // mu is the code.
            assertArrayEquals(
                    m.encode(b).castTo(DataType.DOUBLE).toDoubleMatrix(),
                    q.mean().castTo(DataType.DOUBLE).toDoubleMatrix(),
                    m.typeName());
        }
    }

    @Test
    void badSampleCountsAreRejected() {
        Vae vae = (Vae) Models.VAE.build(tinyVae(), 1);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> vae.logImportanceWeights(batch(test, 2), 0, new NoiseSource(1)));
        assertTrue(e.getMessage().contains("at least 1"), e.getMessage());
        assertTrue(LikelihoodModel.class.isAssignableFrom(Iwae.class));
    }
}
