package org.latentlab.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.latentlab.loss.NoiseSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class GaussianFitTest {

    @Test
    void meanCovarianceAndCholeskyOfASmallCase() {
        // rows (1, 2), (3, 2), (2, 5): mean (2, 3); deviations (-1, -1), (1, -1), (0, 2)
        // covariance / (N - 1) = 2: [[2, 0], [0, 6]] / 2 = [[1, 0], [0, 3]]
        INDArray z = Nd4j.create(new double[][] {{1, 2}, {3, 2}, {2, 5}});
        GaussianFit fit = GaussianFit.fit(z);
        assertArrayEquals(new double[] {2, 3}, fit.mean(), 1e-15);
        assertArrayEquals(new double[] {1, 0}, fit.covariance()[0], 1e-15);
        assertArrayEquals(new double[] {0, 3}, fit.covariance()[1], 1e-15);
        assertArrayEquals(new double[] {1, 0}, fit.cholesky()[0], 1e-15);
        assertArrayEquals(new double[] {0, Math.sqrt(3)}, fit.cholesky()[1], 1e-15);
        assertEquals(0, fit.jitter());
    }

    @Test
    void choleskyReproducesACorrelatedCovariance() {
        double[][] a = {{4, 2, 0.4}, {2, 5, 1}, {0.4, 1, 3}};
        double[][] l = GaussianFit.cholesky(a, 0);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double s = 0;
                for (int k = 0; k < 3; k++) {
                    s += l[i][k] * l[j][k];
                }
                assertEquals(a[i][j], s, 1e-12);
                if (j > i) {
                    assertEquals(0, l[i][j], "lower triangular");
                }
            }
        }
        assertEquals(null, GaussianFit.cholesky(new double[][] {{1, 2}, {2, 1}}, 0), "indefinite");
    }

    @Test
    void samplesHaveTheFittedMomentsAndRepeatForASeed() {
        INDArray codes = Nd4j.create(new double[][] {{0, 0}, {2, 1}, {4, 3}, {1, 2}, {3, 0}});
        GaussianFit fit = GaussianFit.fit(codes);
        int n = 40_000;
        INDArray s = fit.sample(n, new NoiseSource(5));
        assertEquals(DataType.DOUBLE, s.dataType());
        assertArrayEquals(new long[] {n, 2}, s.shape());
        assertArrayEquals(
                s.data().asDouble(), fit.sample(n, new NoiseSource(5)).data().asDouble(), "same seed, same codes");
        GaussianFit back = GaussianFit.fit(s);
        for (int a = 0; a < 2; a++) {
            assertEquals(fit.mean()[a], back.mean()[a], 0.03);
            for (int b = 0; b < 2; b++) {
                assertEquals(fit.covariance()[a][b], back.covariance()[a][b], 0.05);
            }
        }
        // the first draw by hand: mu + L eps with eps the first two normals of the seed
        double[] eps = new NoiseSource(5).standardNormal(DataType.DOUBLE, 1, 2).toDoubleVector();
        double[][] l = fit.cholesky();
        assertEquals(fit.mean()[0] + l[0][0] * eps[0], s.getDouble(0, 0), 1e-12);
        assertEquals(fit.mean()[1] + l[1][0] * eps[0] + l[1][1] * eps[1], s.getDouble(0, 1), 1e-12);
    }

    @Test
    void standardNormalAndASingularFit() {
        GaussianFit std = GaussianFit.standard(3);
        INDArray s = std.sample(4, new NoiseSource(9));
        assertArrayEquals(
                new NoiseSource(9).standardNormal(DataType.DOUBLE, 4, 3).data().asDouble(),
                s.data().asDouble(),
                "N(0, I) draws are eps itself");
        // a dead unit (constant second column) is made positive definite by a little jitter
        GaussianFit singular = GaussianFit.fit(Nd4j.create(new double[][] {{0, 1}, {1, 1}, {2, 1}}));
        assertTrue(singular.jitter() > 0 && singular.jitter() < 1e-6, "jitter " + singular.jitter());
        assertEquals(1.0, singular.mean()[1], 0);
        assertTrue(assertThrows(
                        IllegalArgumentException.class, () -> GaussianFit.fit(Nd4j.create(new double[][] {{1, 2}})))
                .getMessage()
                .contains("N >= 2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> std.sample(0, new NoiseSource(1)))
                .getMessage()
                .contains("got 0"));
    }
}
