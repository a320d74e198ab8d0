package org.latentlab.eval;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import smile.manifold.TSNE;
import smile.math.MathEx;

/**
 * Two-dimensional embeddings of codes, for latent-space scatter plots.
 *
 * <ul>
 *   <li>{@link #pca2d}: the first two principal components ({@link Pca}); linear, fast, global.</li>
 *   <li>{@link #tsne}: t-SNE (van der Maaten &amp; Hinton, <i>Visualizing Data using t-SNE</i>,
 *       JMLR 2008), the exact O(N^2) algorithm of Smile 2.6 ({@code smile.manifold.TSNE}, pure
 *       Java, LGPL-3.0). Time and memory grow with N^2: 2.5 to 7 s for 1,000 points and 1,000
 *       iterations on 2 cores (measured idle and under load), and several
 *       N x N double matrices (800 MB each at N = 10,000), so pass a subsample of a few thousand
 *       points; {@link #MAX_TSNE_POINTS} is enforced.</li>
 * </ul>
 *
 * <p>UMAP is deliberately absent: Smile 2.6's {@code smile.manifold.UMAP} needs ARPACK through
 * JavaCPP 1.5.4 and fails against the JavaCPP 1.5.7 that ND4J M2.1 brings (NoSuchMethodError on
 * {@code arpack.dseupd_c}, verified).
 */
public final class Embeddings {
    /** Largest input {@link #tsne} accepts: beyond it the N x N matrices no longer fit a 3 GB heap. */
    public static final int MAX_TSNE_POINTS = 6000;
    /** t-SNE learning rate, the value of van der Maaten's reference implementation and Smile's default. */
    public static final double TSNE_LEARNING_RATE = 200.0;

    private Embeddings() {}

    /** The first two principal coordinates of each row: [N][2]. */
    public static double[][] pca2d(INDArray codes) {
        checkCodes(codes);
        if (codes.size(1) < 2) {
            throw new IllegalArgumentException(
                    "pca2d needs codes of width >= 2, got shape " + Arrays.toString(codes.shape()));
        }
        return Pca.fit(codes, 2).transform(codes).toDoubleMatrix();
    }

    /** {@link #pca2d(INDArray)} of rows given as arrays. */
    public static double[][] pca2d(double[][] codes) {
        return pca2d(toMatrix(codes));
    }

    /**
     * t-SNE of the rows to 2-D.
     *
     * @param codes      [N][D], 4 &lt;= N &lt;= {@link #MAX_TSNE_POINTS}
     * @param perplexity effective number of neighbours, typically 5 to 50; must be below N
     * @param iterations gradient steps, 1,000 typical (Smile exaggerates early and raises the momentum at step 250)
     * @param seed       seeds the random initial layout: equal seeds give equal embeddings
     * @return [N][2]
     */
    public static double[][] tsne(double[][] codes, double perplexity, int iterations, long seed) {
        Objects.requireNonNull(codes, "codes");
        int n = codes.length;
        if (n < 4 || n > MAX_TSNE_POINTS) {
            throw new IllegalArgumentException("tsne needs 4.." + MAX_TSNE_POINTS
                    + " points (exact t-SNE is O(N^2)), got " + n + ": subsample the codes");
        }
        if (!(perplexity > 0) || perplexity >= n) {
            throw new IllegalArgumentException("tsne perplexity must be in (0, " + n + "), got " + perplexity);
        }
        if (iterations < 1) {
            throw new IllegalArgumentException("tsne iterations must be at least 1, got " + iterations);
        }
        double[][] distances = squaredDistances(toMatrix(codes));
        // Smile's perplexity search starts every point at precision 1 and computes exp(-d): with codes tens of units
        // apart (a conv AE's) every neighbour's exp(-d) underflows to 0 and the layout turns NaN. The calibrated
        // kernel depends on the distances only up to a global scale, so dividing them by their mean changes nothing
        // but the starting point of that search.
        double mean = meanOffDiagonal(distances);
        if (mean > 0) {
            for (double[] row : distances) {
                for (int j = 0; j < row.length; j++) {
                    row[j] /= mean;
                }
            }
        }
        // Smile reads a square input as a matrix of squared distances and anything else as data,
        // so N points of dimension N would be misread: always hand it the distances.
        // Its initial layout comes from MathEx's random generator of the calling thread.
        MathEx.setSeed(seed);
        return new TSNE(distances, 2, perplexity, TSNE_LEARNING_RATE, iterations).coordinates;
    }

    /** {@link #tsne(double[][], double, int, long)} of an [N, D] array. */
    public static double[][] tsne(INDArray codes, double perplexity, int iterations, long seed) {
        checkCodes(codes);
        return tsne(codes.castTo(DataType.DOUBLE).toDoubleMatrix(), perplexity, iterations, seed);
    }

    private static double meanOffDiagonal(double[][] d) {
        double sum = 0;
        for (double[] row : d) {
            for (double v : row) {
                sum += v; // the diagonal is 0
            }
        }
        long n = d.length;
        return n > 1 ? sum / (n * (n - 1)) : 0;
    }

    /** |a_i - a_j|^2 for all rows, computed in double with a matrix product: [N][N]. */
    static double[][] squaredDistances(INDArray a) {
        INDArray norms = a.mul(a).sum(1).reshape(-1, 1);
        INDArray d = a.mmul(a.transpose()).muli(-2.0).addiColumnVector(norms).addiRowVector(norms.reshape(1, -1));
        double[][] out = d.toDoubleMatrix();
        for (int i = 0; i < out.length; i++) {
            out[i][i] = 0.0;
            for (int j = 0; j < out.length; j++) {
                // Cancellation can leave tiny negatives for near-duplicate points.
                out[i][j] = Math.max(0.0, out[i][j]);
            }
        }
        return out;
    }

    private static INDArray toMatrix(double[][] rows) {
        Objects.requireNonNull(rows, "codes");
        if (rows.length == 0) {
            throw new IllegalArgumentException("codes must have at least one row");
        }
        int d = rows[0].length;
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] == null || rows[i].length != d) {
                throw new IllegalArgumentException("codes row " + i + " has "
                        + (rows[i] == null ? "no" : rows[i].length) + " values, expected " + d + " like row 0");
            }
        }
        return Nd4j.create(rows);
    }

    private static void checkCodes(INDArray codes) {
        Objects.requireNonNull(codes, "codes");
        if (codes.rank() != 2) {
            throw new IllegalArgumentException(
                    "codes must be a matrix [N, D], got shape " + Arrays.toString(codes.shape()));
        }
    }
}
