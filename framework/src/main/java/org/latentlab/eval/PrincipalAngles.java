package org.latentlab.eval;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import smile.math.matrix.Matrix;

/**
 * Principal angles between two subspaces of R^D, each given as the column space of a matrix (Jordan 1875; the
 * algorithm of Björck &amp; Golub, <i>Numerical methods for computing angles between linear subspaces</i>, Math.
 * Comp. 1973). With orthonormal bases Q_a [D, p] and Q_b [D, q], the singular values of Q_a^T Q_b are the cosines
 * of the min(p, q) angles, largest cosine (smallest angle) first. Equal subspaces give all zeros; a direction of one
 * orthogonal to the other gives pi/2.
 *
 * <p>The orthonormal bases come from a thin SVD of each input (its left singular vectors), which also checks that
 * the columns are linearly independent. Both SVDs are smile's (LAPACK {@code gesdd}), in double. Taking acos of a
 * cosine near 1 limits the accuracy of very small angles to about 1e-8 radians, far below anything a trained
 * network reaches.
 */
public final class PrincipalAngles {
    /** Columns whose smallest singular value is below this share of the largest are taken as dependent. */
    static final double RANK_TOLERANCE = 1e-10;

    private PrincipalAngles() {}

    /**
     * The principal angles, in radians and ascending, between the column spaces of {@code a} [D, p] and {@code b}
     * [D, q]; min(p, q) of them.
     *
     * @throws IllegalArgumentException for matrices of different heights, empty ones, or dependent columns
     */
    public static double[] between(INDArray a, INDArray b) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        if (a.rank() != 2 || b.rank() != 2) {
            throw new IllegalArgumentException("principal angles need two matrices [D, k], got shapes "
                    + Arrays.toString(a.shape()) + " and " + Arrays.toString(b.shape()));
        }
        return between(
                a.castTo(DataType.DOUBLE).toDoubleMatrix(),
                b.castTo(DataType.DOUBLE).toDoubleMatrix());
    }

    /** {@link #between(INDArray, INDArray)} for row-major arrays {@code a[D][p]} and {@code b[D][q]}. */
    public static double[] between(double[][] a, double[][] b) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        if (a.length != b.length) {
            throw new IllegalArgumentException(
                    "principal angles need subspaces of the same space, got heights " + a.length + " and " + b.length);
        }
        Matrix qa = orthonormalBasis(a, "a");
        Matrix qb = orthonormalBasis(b, "b");
        // Singular values come largest first: the cosines of the angles in ascending order.
        double[] cosines = qa.tm(qb).svd(false, true).s;
        int n = Math.min(qa.ncols(), qb.ncols());
        double[] angles = new double[n];
        for (int i = 0; i < n; i++) {
            angles[i] = Math.acos(Math.min(1.0, Math.max(0.0, cosines[i])));
        }
        Arrays.sort(angles);
        return angles;
    }

    /** Radians to degrees, element by element. */
    public static double[] degrees(double[] radians) {
        return Arrays.stream(radians).map(Math::toDegrees).toArray();
    }

    /**
     * An orthonormal basis [D, k] of the column space of {@code a} [D, k]: its left singular vectors.
     *
     * @throws IllegalArgumentException for an empty or ragged matrix, more columns than rows, non-finite entries or
     *                                  linearly dependent columns
     */
    static Matrix orthonormalBasis(double[][] a, String name) {
        if (a == null || a.length == 0 || a[0].length == 0) {
            throw new IllegalArgumentException("principal angles: matrix " + name + " is empty");
        }
        int cols = a[0].length;
        for (double[] row : a) {
            if (row.length != cols) {
                throw new IllegalArgumentException("principal angles: matrix " + name + " has rows of different "
                        + "lengths (" + cols + " and " + row.length + ")");
            }
            for (double v : row) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("principal angles: matrix " + name + " has an entry " + v);
                }
            }
        }
        if (cols > a.length) {
            throw new IllegalArgumentException("principal angles: matrix " + name + " has " + cols + " columns in R^"
                    + a.length + ", so they cannot be independent");
        }
        Matrix.SVD svd = new Matrix(a).svd(true, true);
        double[] s = svd.s;
        if (!(s[cols - 1] > RANK_TOLERANCE * s[0])) {
            throw new IllegalArgumentException("principal angles: the columns of matrix " + name
                    + " are linearly dependent (singular values " + s[0] + " ... " + s[cols - 1] + ")");
        }
        return svd.U;
    }
}
