package org.latentlab.loss;

import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Contractive penalties: the squared Frobenius norm of the encoder's Jacobian,
 * {@code ||J_f(x)||_F^2 = sum_{j,i} (d h_j / d x_i)^2}, per example.
 *
 * <p>Source: Rifai, Vincent, Muller, Glorot &amp; Bengio, <i>Contractive Auto-Encoders:
 * Explicit Invariance During Feature Extraction</i>, ICML 2011, Section 3 (definition and the
 * closed form for a sigmoid layer).
 *
 * <p>Deeplearning4j 1.0.0-M2.1 cannot differentiate a gradient (the gradient graph is a
 * separate SameDiff instance), so the Jacobian is never taken by autodiff: both ops here are
 * built from forward ops, and training differentiates them once, as usual.
 */
public final class Contractive {

    private Contractive() {}

    /**
     * Exact penalty for one sigmoid layer {@code h = sigmoid(x W + b)}, {@code W} of shape
     * {@code [in, hidden]} (Rifai et al. 2011, Section 3):
     * <pre>
     *   ||J||_F^2 = sum_j (h_j (1 - h_j))^2 * sum_i W_ij^2
     * </pre>
     * since {@code d h_j / d x_i = h_j (1 - h_j) W_ij}. Gradients flow through both
     * {@code hidden} and {@code weights}.
     *
     * @param sd      graph to add the ops to
     * @param name    name of the output variable
     * @param hidden  the layer's sigmoid output, shape {@code [N, hidden]}
     * @param weights the layer's weight matrix, shape {@code [in, hidden]}
     * @return variable {@code name} of shape {@code [N]}
     */
    public static SDVariable sigmoidLayerExact(SameDiff sd, String name, SDVariable hidden, SDVariable weights) {
        Objects.requireNonNull(hidden, "hidden");
        Objects.requireNonNull(weights, "weights");
        SDVariable slopeSquared = sd.math().square(hidden.mul(hidden.rsub(1.0)));
        SDVariable columnNorms = FeatureReductions.sumOverRows(sd, sd.math().square(weights));
        return FeatureReductions.sumOverFeatures(sd, name, slopeSquared.mul(columnNorms));
    }

    /**
     * Stochastic estimate of {@code ||J_f(x)||_F^2} for any encoder {@code f}, from forward
     * passes only. For {@code v ~ N(0, I)}, {@code E ||J v||^2 = trace(J^T J) = ||J||_F^2}
     * (Hutchinson's trace estimator), and {@code J v} is approximated by a central difference:
     * <pre>
     *   J v ~ (f(x + step v) - f(x - step v)) / (2 step)
     *   estimate = (1/K) sum_k ||(f(x + step v_k) - f(x - step v_k)) / (2 step)||^2
     * </pre>
     * The estimate is unbiased as {@code step -> 0} (its bias is {@code O(step^2)} for a smooth
     * encoder) and its relative standard deviation is at most {@code sqrt(2 / K)}. Rifai et al.
     * 2011 (Section 3) note the finite-difference view of the penalty; the higher-order CAE
     * (Rifai et al., ECML 2011) uses corrupted copies in the same way.
     *
     * <p>In FLOAT, too small a step loses the difference to rounding: a step around
     * {@code 1e-2} (relative to inputs of unit scale) is a reasonable start; in DOUBLE,
     * {@code 1e-4} or less.
     *
     * @param sd         graph to add the ops to
     * @param name       name of the output variable
     * @param encoder    builds {@code f(input)} in {@code sd}; it is called {@code 2K} times on
     *                   new inputs and must reuse the same weight variables (close over them),
     *                   not create new ones
     * @param x          encoder input, shape {@code [N, D]} (any rank, as long as the
     *                   directions have the same shape)
     * @param directions {@code K >= 1} direction variables of the shape of {@code x}, normally
     *                   placeholders fed per batch with {@link NoiseSource#standardNormal}
     * @param step       finite-difference step, {@code > 0}
     * @return variable {@code name} of shape {@code [N]}
     * @throws IllegalArgumentException if there is no direction or {@code step} is not positive
     */
    public static SDVariable finiteDifferenceEstimate(
            SameDiff sd,
            String name,
            UnaryOperator<SDVariable> encoder,
            SDVariable x,
            List<SDVariable> directions,
            double step) {
        Objects.requireNonNull(encoder, "encoder");
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(directions, "directions");
        if (directions.isEmpty()) {
            throw new IllegalArgumentException("at least one direction is needed");
        }
        if (!(step > 0.0) || Double.isInfinite(step)) {
            throw new IllegalArgumentException("step must be positive and finite, got " + step);
        }
        int k = directions.size();
        SDVariable total = null;
        for (SDVariable v : directions) {
            Objects.requireNonNull(v, "direction");
            SDVariable offset = v.mul(step);
            SDVariable forward = encoder.apply(x.add(offset));
            SDVariable backward = encoder.apply(x.sub(offset));
            SDVariable jv = forward.sub(backward).mul(1.0 / (2.0 * step));
            SDVariable squaredNorm =
                    FeatureReductions.sumOverFeatures(sd, null, sd.math().square(jv));
            total = total == null ? squaredNorm : total.add(squaredNorm);
        }
        return total.mul(name, 1.0 / k);
    }
}
