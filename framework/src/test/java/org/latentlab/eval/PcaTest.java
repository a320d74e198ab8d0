package org.latentlab.eval;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * PCA on data built from known orthonormal directions, checked against plain-Java computations:
 * the covariance, power iteration for the top eigenpair, and the identity that the training
 * reconstruction error of k components is the variance left in the other directions.
 */
class PcaTest {
    private static final int N = 2000;
    private static final int D = 30;
    private static final double[] SCALES = {5.0, 3.0, 1.5};
    private static final double NOISE = 0.02;
    private static double[][] directions;
    private static double[][] data;

    @BeforeAll
    static void lowRankData() {
        Random rng = new Random(42);
        directions = new double[SCALES.length][D];
        // Gram-Schmidt on random vectors: orthonormal directions.
        for (int j = 0; j < SCALES.length; j++) {
            for (int i = 0; i < D; i++) {
                directions[j][i] = rng.nextGaussian();
            }
            for (int p = 0; p < j; p++) {
                double dot = dot(directions[j], directions[p]);
                for (int i = 0; i < D; i++) {
                    directions[j][i] -= dot * directions[p][i];
                }
            }
            double norm = Math.sqrt(dot(directions[j], directions[j]));
            for (int i = 0; i < D; i++) {
                directions[j][i] /= norm;
            }
        }
        data = new double[N][D];
        for (double[] row : data) {
            for (int i = 0; i < D; i++) {
                row[i] = 0.5 * i + NOISE * rng.nextGaussian(); // a non-zero mean
            }
            for (int j = 0; j < SCALES.length; j++) {
                double a = SCALES[j] * rng.nextGaussian();
                for (int i = 0; i < D; i++) {
                    row[i] += a * directions[j][i];
                }
            }
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double[][] covariance() {
        double[] mean = new double[D];
        for (double[] row : data) {
            for (int i = 0; i < D; i++) {
                mean[i] += row[i] / N;
            }
        }
        double[][] c = new double[D][D];
        for (double[] row : data) {
            for (int i = 0; i < D; i++) {
                for (int j = 0; j < D; j++) {
                    c[i][j] += (row[i] - mean[i]) * (row[j] - mean[j]) / (N - 1);
                }
            }
        }
        return c;
    }

    @Test
    void fewWideRowsGiveTheSameComponentsThroughTheGramMatrix() {
        Random rng = new Random(7);
        int n = 12;
        int d = Pca.GRAM_MIN_WIDTH + 6;
        double[][] rows = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                rows[i][j] = rng.nextGaussian() * (1 + (j % 7)) + (j % 3 == 0 ? 0.5 * i : 0);
            }
        }
        INDArray x = Nd4j.create(rows);
        Pca gram = Pca.fit(x, 3); // k < N < D: the Gram route
        Pca cov = Pca.fit(x, n); // k = N: the covariance route
        for (int j = 0; j < 3; j++) {
            assertEquals(cov.explainedVariance()[j], gram.explainedVariance()[j], 1e-8 * cov.explainedVariance()[0]);
        }
        assertEquals(cov.explainedVarianceRatio()[0], gram.explainedVarianceRatio()[0], 1e-10);
        INDArray a = cov.transform(x).get(NDArrayIndex.all(), NDArrayIndex.interval(0, 3));
        INDArray b = gram.transform(x);
        assertEquals(
                0, a.sub(b).norm2Number().doubleValue(), 1e-6 * a.norm2Number().doubleValue());
    }

    @Test
    void componentsAreTheBuiltInDirectionsInOrder() {
        Pca pca = Pca.fit(Nd4j.create(data).castTo(DataType.FLOAT), 3);
        double[][] w = pca.componentMatrix().toDoubleMatrix();
        for (int j = 0; j < SCALES.length; j++) {
            assertEquals(1.0, Math.abs(dot(w[j], directions[j])), 1e-3, "component " + j);
        }
        double[] variance = pca.explainedVariance();
        for (int j = 0; j < SCALES.length; j++) {
            assertEquals(SCALES[j] * SCALES[j], variance[j], 0.1 * SCALES[j] * SCALES[j], "variance " + j);
        }
    }

    @Test
    void topEigenpairEqualsPowerIterationOnThePlainJavaCovariance() {
        double[][] c = covariance();
        double[] v = new double[D];
        Arrays.fill(v, 1.0);
        double lambda = 0;
        for (int it = 0; it < 500; it++) {
            double[] next = new double[D];
            for (int i = 0; i < D; i++) {
                next[i] = dot(c[i], v);
            }
            lambda = Math.sqrt(dot(next, next));
            for (int i = 0; i < D; i++) {
                v[i] = next[i] / lambda;
            }
        }
        Pca pca = Pca.fit(Nd4j.create(data), 1);
        assertEquals(lambda, pca.explainedVariance()[0], 1e-9 * lambda);
        assertEquals(1.0, Math.abs(dot(v, pca.componentMatrix().toDoubleMatrix()[0])), 1e-9);
        double trace = 0;
        for (int i = 0; i < D; i++) {
            trace += c[i][i];
        }
        assertEquals(lambda / trace, pca.explainedVarianceRatio()[0], 1e-9);
    }

    @Test
    void trainingErrorIsTheVarianceLeftInTheOtherDirections() {
        double[][] c = covariance();
        double trace = 0;
        for (int i = 0; i < D; i++) {
            trace += c[i][i];
        }
        INDArray x = Nd4j.create(data);
        for (int k : new int[] {1, 2, 3, 10}) {
            Pca pca = Pca.fit(x, k);
            double kept = 0;
            for (double v : pca.explainedVariance()) {
                kept += v;
            }
            // sum of squared residuals / (N D) = (N - 1)/N * (trace - kept) / D
            double expected = (trace - kept) * (N - 1) / ((double) N * D);
            assertEquals(expected, pca.reconstructionMse(x), 1e-9 * trace, "k = " + k);
        }
        // With the three directions kept only the isotropic noise is left: (D - 3)/D of its variance.
        assertEquals(NOISE * NOISE * (D - 3) / D, Pca.fit(x, 3).reconstructionMse(x), 0.1 * NOISE * NOISE);
    }

    @Test
    void transformThenInverseRestoresPointsInTheSpanAndAllComponentsExplainEverything() {
        INDArray x = Nd4j.create(data);
        Pca full = Pca.fit(x, D);
        assertEquals(1.0, Arrays.stream(full.explainedVarianceRatio()).sum(), 1e-9);
        INDArray back = full.inverseTransform(full.transform(x));
        assertEquals(0.0, back.sub(x).norm2Number().doubleValue(), 1e-8);
        Pca pca = Pca.fit(x, 3);
        INDArray codes = pca.transform(x);
        assertArrayEquals(new long[] {N, 3}, codes.shape());
        // Codes of the reconstructions are the codes: projection is idempotent.
        assertEquals(
                0.0,
                pca.transform(pca.inverseTransform(codes))
                        .sub(codes)
                        .norm2Number()
                        .doubleValue(),
                1e-8);
    }

    @Test
    void badInputIsNamed() {
        INDArray x = Nd4j.create(data);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pca.fit(x, D + 1));
        assertTrue(e.getMessage().contains("k must be in 1.." + D), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Pca.fit(Nd4j.create(new double[] {1, 2, 3}), 1));
        Pca pca = Pca.fit(x, 2);
        e = assertThrows(IllegalArgumentException.class, () -> pca.transform(Nd4j.zeros(4, D - 1)));
        assertTrue(e.getMessage().contains("[N, " + D + "]"), e.getMessage());
    }
}
