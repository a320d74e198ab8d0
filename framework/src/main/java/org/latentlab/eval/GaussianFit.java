package org.latentlab.eval;

import java.util.Arrays;
import java.util.Objects;
import org.latentlab.loss.NoiseSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A Gaussian N(mu, Sigma) fitted to codes by their sample mean and full covariance, and draws
 * from it: what a deterministic autoencoder lacks to be sampled ("random vectors into the
 * decoder", lecture 003). A draw is {@code z = mu + L eps} with {@code eps ~ N(0, I)} from a
 * seeded {@link NoiseSource} and {@code L} the Cholesky factor of Sigma (Sigma = L L^T), so it has
 * exactly the fitted covariance and the same seed gives the same codes.
 *
 * <pre>
 *   mu = (1/N) sum_i z_i,   Sigma = (1/(N-1)) sum_i (z_i - mu)(z_i - mu)^T
 * </pre>
 * A covariance that is not positive definite (a dead code unit, fewer codes than dimensions) gets
 * {@code jitter} added to its diagonal, 1e-10 times its mean diagonal and then ten times more
 * until the factorisation succeeds; {@link #jitter()} says how much was added.
 *
 * @param mean        mu, [d]
 * @param covariance  Sigma, [d][d]
 * @param cholesky    L, lower triangular, [d][d]
 * @param jitter      what was added to the diagonal of Sigma before factorising (0 if nothing)
 */
public record GaussianFit(double[] mean, double[][] covariance, double[][] cholesky, double jitter) {

    /**
     * Fits the rows of {@code codes}.
     *
     * @param codes [N, d], N &gt;= 2, finite
     * @throws IllegalArgumentException for fewer than 2 rows or a non-finite value
     */
    public static GaussianFit fit(INDArray codes) {
        Objects.requireNonNull(codes, "codes");
        if (codes.rank() != 2 || codes.size(0) < 2 || codes.size(1) < 1) {
            throw new IllegalArgumentException(
                    "GaussianFit needs codes [N, d] with N >= 2, got shape " + Arrays.toString(codes.shape()));
        }
        double[][] z = codes.castTo(DataType.DOUBLE).toDoubleMatrix();
        int n = z.length;
        int d = z[0].length;
        double[] mu = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                if (!Double.isFinite(z[i][j])) {
                    throw new IllegalArgumentException(
                            "GaussianFit: code " + i + " has a non-finite value " + z[i][j] + " in dimension " + j);
                }
                mu[j] += z[i][j];
            }
        }
        for (int j = 0; j < d; j++) {
            mu[j] /= n;
        }
        double[][] cov = new double[d][d];
        double[] c = new double[d];
        for (double[] row : z) {
            for (int j = 0; j < d; j++) {
                c[j] = row[j] - mu[j];
            }
            for (int a = 0; a < d; a++) {
                for (int b = 0; b <= a; b++) {
                    cov[a][b] += c[a] * c[b];
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = 0; b <= a; b++) {
                cov[a][b] /= n - 1;
                cov[b][a] = cov[a][b];
            }
        }
        double meanDiagonal = 0;
        for (int j = 0; j < d; j++) {
            meanDiagonal += cov[j][j];
        }
        meanDiagonal = Math.max(meanDiagonal / d, Double.MIN_NORMAL);
        double jitter = 0;
        double[][] l = cholesky(cov, 0);
        for (double eps = 1e-10 * meanDiagonal; l == null; eps *= 10) {
            if (eps > meanDiagonal) {
                throw new IllegalStateException(
                        "GaussianFit: covariance is not positive definite even with " + eps + " added to its diagonal");
            }
            jitter = eps;
            l = cholesky(cov, eps);
        }
        return new GaussianFit(mu, cov, l, jitter);
    }

    /** The standard normal N(0, I) in {@code d} dimensions. */
    public static GaussianFit standard(int d) {
        if (d < 1) {
            throw new IllegalArgumentException("GaussianFit.standard: dimension must be >= 1, got " + d);
        }
        double[][] identity = new double[d][d];
        for (int j = 0; j < d; j++) {
            identity[j][j] = 1;
        }
        return new GaussianFit(new double[d], identity, identity, 0);
    }

    /** Dimension d. */
    public int dimension() {
        return mean.length;
    }

    /** {@code n} draws mu + L eps, eps ~ N(0, I) from {@code noise} (row by row): DOUBLE [n, d]. */
    public INDArray sample(int n, NoiseSource noise) {
        if (n < 1) {
            throw new IllegalArgumentException("GaussianFit.sample: n must be >= 1, got " + n);
        }
        int d = dimension();
        double[] eps = noise.standardNormal(DataType.DOUBLE, n, d).data().asDouble();
        double[] out = new double[n * d];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < d; a++) {
                double v = mean[a];
                for (int b = 0; b <= a; b++) {
                    v += cholesky[a][b] * eps[i * d + b];
                }
                out[i * d + a] = v;
            }
        }
        return Nd4j.create(out, new long[] {n, d}, DataType.DOUBLE);
    }

    /** Lower-triangular L with L L^T = a + jitter I, or null if that is not positive definite. */
    static double[][] cholesky(double[][] a, double jitter) {
        int d = a.length;
        double[][] l = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i][j] + (i == j ? jitter : 0);
                for (int k = 0; k < j; k++) {
                    s -= l[i][k] * l[j][k];
                }
                if (i == j) {
                    if (!(s > 0)) {
                        return null;
                    }
                    l[i][i] = Math.sqrt(s);
                } else {
                    l[i][j] = s / l[j][j];
                }
            }
        }
        return l;
    }
}
