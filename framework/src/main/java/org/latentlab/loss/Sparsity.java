package org.latentlab.loss;

import java.util.Objects;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Sparsity penalties on hidden activations.
 *
 * <p>Source: A. Ng, <i>Sparse autoencoder</i>, CS294A lecture notes, Stanford, 2011,
 * Section 3 (the KL penalty on average activations of sigmoid units); the L1 activity penalty
 * is the usual alternative for units that are not bounded in {@code [0, 1]}.
 */
public final class Sparsity {

    /** Bounds for the average activation, so that neither log argument reaches 0. */
    static final double MIN_ACTIVATION = 1e-6;

    static final double MAX_ACTIVATION = 1.0 - 1e-6;

    private Sparsity() {}

    /**
     * KL sparsity penalty (Ng 2011):
     * <pre>
     *   sum_j KL(rho || rhoHat_j)
     *     = sum_j [rho log(rho / rhoHat_j) + (1 - rho) log((1 - rho) / (1 - rhoHat_j))]
     * </pre>
     * where {@code rhoHat_j} is the mean over the batch of unit {@code j}'s activation. This is
     * a batch-level quantity (the batch mean is inside a nonlinearity), so the result is a
     * scalar. {@code rhoHat} is clipped into {@code [1e-6, 1 - 1e-6]} so that a dead or
     * saturated unit gives a large finite penalty instead of NaN; the gradient is zero while
     * clipped, which the reconstruction term must then move the unit out of.
     *
     * @param sd          graph to add the ops to
     * @param name        name of the output variable
     * @param activations sigmoid activations in {@code [0, 1]}, shape {@code [N, H]}
     * @param rho         target mean activation, in {@code (0, 1)} (Ng uses 0.05)
     * @return scalar variable {@code name}
     * @throws IllegalArgumentException if {@code rho} is not strictly between 0 and 1
     */
    public static SDVariable klToTarget(SameDiff sd, String name, SDVariable activations, double rho) {
        Objects.requireNonNull(activations, "activations");
        if (!(rho > 0.0 && rho < 1.0)) {
            throw new IllegalArgumentException("rho must be in (0, 1), got " + rho);
        }
        SDVariable rhoHat =
                sd.math().clipByValue(FeatureReductions.meanOverRows(sd, activations), MIN_ACTIVATION, MAX_ACTIVATION);
        // log(rho / rhoHat) rather than log(rho) - log(rhoHat): exactly 0 when rhoHat == rho.
        SDVariable towardsOne = sd.math().log(rhoHat.rdiv(rho)).mul(rho);
        SDVariable towardsZero = sd.math().log(rhoHat.rsub(1.0).rdiv(1.0 - rho)).mul(1.0 - rho);
        return towardsOne.add(towardsZero).sum(name);
    }

    /**
     * L1 activity penalty per example: {@code sum_j |h_j|}.
     *
     * @param sd          graph to add the ops to
     * @param name        name of the output variable
     * @param activations hidden activations, shape {@code [N, ...]}
     * @return variable {@code name} of shape {@code [N]}
     */
    public static SDVariable l1Activity(SameDiff sd, String name, SDVariable activations) {
        Objects.requireNonNull(activations, "activations");
        return FeatureReductions.sumOverFeatures(sd, name, sd.math().abs(activations));
    }
}
