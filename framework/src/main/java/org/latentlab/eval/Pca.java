package org.latentlab.eval;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Principal component analysis (Pearson 1901; Hotelling 1933): the linear baseline of an
 * autoencoder with a code of the same size. A linear autoencoder trained on squared error spans
 * the same subspace (Baldi &amp; Hornik, <i>Neural networks and principal component analysis</i>,
 * Neural Networks 1989), so the PCA reconstruction error is what a nonlinear model must beat.
 *
 * <p>Fit: center, C = X_c^T X_c / (N - 1), then the symmetric eigendecomposition of C (LAPACK
 * {@code syev} through ND4J's {@link Eigen}); the components are the eigenvectors of the k
 * largest eigenvalues. Chosen over an SVD of X_c because C is only D x D: on 2 cores, 10,000 x 784
 * doubles took about 1.0 s for C plus 0.9 s for the eigendecomposition, against 2.8 s for
 * {@code gesvd} of X_c. Everything is computed in double; C is accumulated over row chunks, so a
 * FLOAT input of any size is never copied whole to double. Each component's sign is fixed so
 * that its largest-magnitude entry is positive, which makes fits repeatable.
 *
 * <pre>
 *   transform(x)        = (x - mean) W^T          W: [k, D], orthonormal rows
 *   inverseTransform(c) = c W + mean
 *   explainedVarianceRatio_j = lambda_j / trace(C)
 * </pre>
 */
public final class Pca {
    /** Rows cast to double at a time while accumulating the covariance. */
    private static final int CHUNK_ROWS = 4096;
    /** Inputs wider than this with fewer rows than columns are fitted through the Gram matrix ({@link #fitGram}). */
    static final int GRAM_MIN_WIDTH = 1024;

    private final INDArray mean;
    private final INDArray components;
    private final double[] explainedVariance;
    private final double totalVariance;

    private Pca(INDArray mean, INDArray components, double[] explainedVariance, double totalVariance) {
        this.mean = mean;
        this.components = components;
        this.explainedVariance = explainedVariance;
        this.totalVariance = totalVariance;
    }

    /**
     * Fits k components to the rows of {@code x}.
     *
     * @param x [N, D], N &gt;= 2, any floating type
     * @param k 1 &lt;= k &lt;= D
     */
    public static Pca fit(INDArray x, int k) {
        Objects.requireNonNull(x, "x");
        if (x.rank() != 2 || x.size(0) < 2) {
            throw new IllegalArgumentException(
                    "Pca.fit needs a matrix [N, D] with N >= 2, got shape " + Arrays.toString(x.shape()));
        }
        long n = x.size(0);
        int d = (int) x.size(1);
        if (k < 1 || k > d) {
            throw new IllegalArgumentException("Pca.fit: k must be in 1.." + d + " (the input width), got " + k);
        }
        INDArray mean = Nd4j.zeros(DataType.DOUBLE, d);
        for (long from = 0; from < n; from += CHUNK_ROWS) {
            mean.addi(rows(x, from, Math.min(n, from + CHUNK_ROWS)).sum(0));
        }
        mean.divi(n);
        if (d > GRAM_MIN_WIDTH && n < d && k < n) {
            return fitGram(x, mean, k);
        }
        INDArray cov = Nd4j.zeros(DataType.DOUBLE, d, d);
        for (long from = 0; from < n; from += CHUNK_ROWS) {
            INDArray centered = rows(x, from, Math.min(n, from + CHUNK_ROWS)).subiRowVector(mean);
            cov.addi(centered.transpose().mmul(centered));
        }
        cov.divi(n - 1);
        double trace = 0;
        for (int i = 0; i < d; i++) {
            trace += cov.getDouble(i, i);
        }

        // syev overwrites its argument with the eigenvectors (columns), eigenvalues ascending.
        INDArray vectors = cov.dup('f');
        INDArray values = Eigen.symmetricGeneralizedEigenvalues(vectors, true);
        INDArray w = Nd4j.create(DataType.DOUBLE, k, d);
        double[] explained = new double[k];
        for (int j = 0; j < k; j++) {
            int col = d - 1 - j;
            double[] v = vectors.getColumn(col).toDoubleVector();
            int largest = 0;
            for (int i = 1; i < d; i++) {
                if (Math.abs(v[i]) > Math.abs(v[largest])) {
                    largest = i;
                }
            }
            double sign = v[largest] < 0 ? -1.0 : 1.0;
            for (int i = 0; i < d; i++) {
                w.putScalar(j, i, sign * v[i]);
            }
            // Round-off can make the eigenvalue of a null direction slightly negative.
            explained[j] = Math.max(0.0, values.getDouble(col));
        }
        return new Pca(mean, w, explained, trace);
    }

    /**
     * {@link #fit} for few wide rows (N &lt; D, D above {@value #GRAM_MIN_WIDTH}, e.g. a few dozen 3 x 32 x 32 colour
     * images): the nonzero eigenvalues of C are those of the N x N Gram matrix G = X_c X_c^T / (N - 1), and for an
     * eigenvector u of G, X_c^T u (normalised) is the matching eigenvector of C, so the D x D eigendecomposition
     * (about a minute for D = 3072 on 2 cores) is not needed. Narrower inputs (grey 28 x 28 images, D = 784) always
     * take the covariance route, so their numbers do not depend on this.
     */
    private static Pca fitGram(INDArray x, INDArray mean, int k) {
        int n = (int) x.size(0);
        int d = (int) x.size(1);
        INDArray centered = rows(x, 0, n).subiRowVector(mean);
        INDArray gram = centered.mmul(centered.transpose()).divi(n - 1);
        double trace = 0;
        for (int i = 0; i < n; i++) {
            trace += gram.getDouble(i, i);
        }
        INDArray vectors = gram.dup('f');
        INDArray values = Eigen.symmetricGeneralizedEigenvalues(vectors, true);
        INDArray w = Nd4j.create(DataType.DOUBLE, k, d);
        double[] explained = new double[k];
        for (int j = 0; j < k; j++) {
            int col = n - 1 - j;
            double[] v = centered.transpose()
                    .mmul(vectors.getColumn(col).reshape(n, 1))
                    .toDoubleVector();
            double norm = 0;
            int largest = 0;
            for (int i = 0; i < d; i++) {
                norm += v[i] * v[i];
                if (Math.abs(v[i]) > Math.abs(v[largest])) {
                    largest = i;
                }
            }
            norm = Math.sqrt(norm);
            double scale = (v[largest] < 0 ? -1.0 : 1.0) / (norm > 0 ? norm : 1.0);
            for (int i = 0; i < d; i++) {
                w.putScalar(j, i, scale * v[i]);
            }
            explained[j] = Math.max(0.0, values.getDouble(col));
        }
        return new Pca(mean, w, explained, trace);
    }

    private static INDArray rows(INDArray x, long from, long to) {
        return x.get(NDArrayIndex.interval(from, to), NDArrayIndex.all())
                .castTo(DataType.DOUBLE)
                .dup();
    }

    /** Number of components k. */
    public int components() {
        return (int) components.size(0);
    }

    /** Input width D. */
    public int inputSize() {
        return (int) components.size(1);
    }

    /** The training mean, DOUBLE [D] (a copy). */
    public INDArray mean() {
        return mean.dup();
    }

    /** The principal directions as orthonormal rows, largest variance first: DOUBLE [k, D] (a copy). */
    public INDArray componentMatrix() {
        return components.dup();
    }

    /** Variance along each component (eigenvalues of the covariance, largest first). */
    public double[] explainedVariance() {
        return explainedVariance.clone();
    }

    /** Fraction of the total variance trace(C) along each component. */
    public double[] explainedVarianceRatio() {
        double[] r = new double[explainedVariance.length];
        for (int j = 0; j < r.length; j++) {
            r[j] = totalVariance > 0 ? explainedVariance[j] / totalVariance : 0.0;
        }
        return r;
    }

    /** Coordinates of each row in the component basis: DOUBLE [N, k]. */
    public INDArray transform(INDArray x) {
        checkWidth(x, inputSize(), "transform");
        return x.castTo(DataType.DOUBLE).subRowVector(mean).mmul(components.transpose());
    }

    /** Rows mapped back to input space: DOUBLE [N, D]. */
    public INDArray inverseTransform(INDArray codes) {
        checkWidth(codes, components(), "inverseTransform");
        return codes.castTo(DataType.DOUBLE).mmul(components).addiRowVector(mean);
    }

    /** Mean squared error per element of projecting {@code x} onto the components and back. */
    public double reconstructionMse(INDArray x) {
        checkWidth(x, inputSize(), "reconstructionMse");
        double sum = 0;
        long n = x.size(0);
        for (long from = 0; from < n; from += CHUNK_ROWS) {
            INDArray part = rows(x, from, Math.min(n, from + CHUNK_ROWS));
            INDArray diff = inverseTransform(transform(part)).subi(part);
            sum += diff.mul(diff).sumNumber().doubleValue();
        }
        return sum / ((double) n * inputSize());
    }

    private static void checkWidth(INDArray a, int width, String what) {
        Objects.requireNonNull(a, what + " input");
        if (a.rank() != 2 || a.size(1) != width) {
            throw new IllegalArgumentException(
                    "Pca." + what + " expects [N, " + width + "], got shape " + Arrays.toString(a.shape()));
        }
    }
}
