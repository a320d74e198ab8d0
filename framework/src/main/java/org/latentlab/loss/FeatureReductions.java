package org.latentlab.loss;

import java.util.Objects;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reductions over every dimension but the first (the batch dimension), for inputs of any rank
 * ({@code [N, D]} dense codes as well as {@code [N, C, H, W]} images).
 *
 * <p>The sums are matrix products with a column of ones, not {@code SDVariable.sum(dims)}:
 * in Deeplearning4j 1.0.0-M2.1 a reduce op whose reduced dimensions all have size 1 (a
 * {@code [N, 1]} input summed over dimension 1, a batch of one averaged over dimension 0)
 * fails with a NullPointerException at execution, and the feature count is often unknown
 * while the graph is built (a latent size of 1 is a legitimate choice).
 */
public final class FeatureReductions {

    private FeatureReductions() {}

    /**
     * Per-example sum over all feature dimensions: {@code out[n] = sum over i of x[n, i...]}.
     *
     * @param sd   graph to add the ops to
     * @param name name of the output variable
     * @param x    input of shape {@code [N, ...]}, rank 2 or more
     * @return variable {@code name} of shape {@code [N]}
     */
    public static SDVariable sumOverFeatures(SameDiff sd, String name, SDVariable x) {
        Objects.requireNonNull(x, "x");
        SDVariable flat = asMatrix(sd, x);
        return flat.mmul(onesColumn(flat)).reshape(name, sd.constant(Nd4j.createFromArray(-1L)));
    }

    /**
     * Per-example mean over all feature dimensions.
     *
     * @param sd   graph to add the ops to
     * @param name name of the output variable
     * @param x    input of shape {@code [N, ...]}, rank 2 or more
     * @return variable {@code name} of shape {@code [N]}
     */
    public static SDVariable meanOverFeatures(SameDiff sd, String name, SDVariable x) {
        Objects.requireNonNull(x, "x");
        SDVariable flat = asMatrix(sd, x);
        SDVariable ones = onesColumn(flat);
        SDVariable count = sd.mmul(ones, ones, true, false, false);
        return flat.mmul(ones).div(count).reshape(name, sd.constant(Nd4j.createFromArray(-1L)));
    }

    /**
     * Column sums of a matrix, kept as a row: {@code [R, C] -> [1, C]}. Used for batch means
     * and weight norms; safe for {@code R = 1}, see the class comment.
     */
    static SDVariable sumOverRows(SameDiff sd, SDVariable matrix) {
        return sd.mmul(onesPerRow(matrix), matrix, true, false, false);
    }

    /** Column means of a matrix, kept as a row: {@code [R, C] -> [1, C]}. */
    static SDVariable meanOverRows(SameDiff sd, SDVariable matrix) {
        SDVariable ones = onesPerRow(matrix);
        SDVariable count = sd.mmul(ones, ones, true, false, false);
        return sd.mmul(ones, matrix, true, false, false).div(count);
    }

    /** A {@code [R, 1]} column of ones for a {@code [R, C]} matrix. */
    private static SDVariable onesPerRow(SDVariable matrix) {
        return onesFromDim(matrix, 0);
    }

    /** A {@code [C, 1]} column of ones for a {@code [R, C]} matrix. */
    private static SDVariable onesColumn(SDVariable matrix) {
        return onesFromDim(matrix, 1);
    }

    /**
     * A {@code [size(dim), 1]} column of ones, filled from the runtime shape. Built from the
     * (integer) shape rather than from a slice of the matrix: the backprop of a slice fails in
     * M2.1 when the batch has one row (strided_slice_bp: "lengths of arrays are mismatched").
     */
    private static SDVariable onesFromDim(SDVariable matrix, int dim) {
        SameDiff sd = matrix.getSameDiff();
        SDVariable size = matrix.shape().get(SDIndex.interval(dim, dim + 1));
        SDVariable shape =
                sd.concat(0, size, sd.constant(Nd4j.createFromArray(1L)).castTo(size.dataType()));
        return sd.fill(shape, matrix.dataType(), 1.0);
    }

    /** The input as {@code [N, D]}, reshaped from its runtime shape when the rank may differ. */
    private static SDVariable asMatrix(SameDiff sd, SDVariable x) {
        // In M2.1 getShape() is known for placeholders and variables but null for op outputs.
        long[] shape = x.getShape();
        if (shape != null && shape.length == 2) {
            return x;
        }
        SDVariable runtimeShape = x.shape();
        SDVariable batch = runtimeShape.get(SDIndex.interval(0, 1));
        SDVariable rest = sd.constant(Nd4j.createFromArray(-1L)).castTo(runtimeShape.dataType());
        return x.reshape(sd.concat(0, batch, rest));
    }
}
