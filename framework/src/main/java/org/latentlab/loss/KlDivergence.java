package org.latentlab.loss;

import java.util.Objects;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Closed-form Kullback-Leibler divergences between Gaussians with diagonal covariance, the
 * regulariser of the variational autoencoder's evidence lower bound.
 *
 * <p>Variances are passed as log-variances, as an encoder outputs them: the log
 * parameterisation keeps the variance positive without a constraint.
 *
 * <p>Source: Kingma &amp; Welling, <i>Auto-Encoding Variational Bayes</i>, ICLR 2014,
 * Appendix B (standard normal prior); the general diagonal case is the same integral with a
 * shifted and scaled prior.
 */
public final class KlDivergence {

    private KlDivergence() {}

    /**
     * KL divergence of {@code q = N(mu, diag(exp(logVar)))} from the standard normal prior:
     * <pre>
     *   KL(q || N(0, I)) = 0.5 * sum_j (mu_j^2 + exp(logVar_j) - 1 - logVar_j)
     * </pre>
     * (Kingma &amp; Welling 2014, Appendix B, where it appears with the opposite sign as
     * {@code -KL}).
     *
     * @param sd     graph to add the ops to
     * @param name   name of the output variable
     * @param mu     means, shape {@code [N, J]}
     * @param logVar log-variances, same shape as {@code mu}
     * @return variable {@code name} of shape {@code [N]}: one divergence per example, in nats
     */
    public static SDVariable standardNormal(SameDiff sd, String name, SDVariable mu, SDVariable logVar) {
        Objects.requireNonNull(mu, "mu");
        Objects.requireNonNull(logVar, "logVar");
        SDVariable terms =
                sd.math().square(mu).add(sd.math().exp(logVar)).sub(logVar).sub(1.0);
        return FeatureReductions.sumOverFeatures(sd, name, terms.mul(0.5));
    }

    /**
     * KL divergence between two Gaussians with diagonal covariance,
     * {@code q = N(mu1, diag(exp(logVar1)))} and {@code p = N(mu2, diag(exp(logVar2)))}:
     * <pre>
     *   KL(q || p) = 0.5 * sum_j (logVar2_j - logVar1_j
     *                             + (exp(logVar1_j) + (mu1_j - mu2_j)^2) / exp(logVar2_j) - 1)
     * </pre>
     * Used for learned priors (conditional or hierarchical VAEs). With {@code mu2 = 0} and
     * {@code logVar2 = 0} it reduces to {@link #standardNormal}.
     *
     * @param sd      graph to add the ops to
     * @param name    name of the output variable
     * @param mu1     means of q, shape {@code [N, J]}
     * @param logVar1 log-variances of q
     * @param mu2     means of p (broadcastable to {@code [N, J]})
     * @param logVar2 log-variances of p (broadcastable to {@code [N, J]})
     * @return variable {@code name} of shape {@code [N]}
     */
    public static SDVariable diagonalGaussians(
            SameDiff sd, String name, SDVariable mu1, SDVariable logVar1, SDVariable mu2, SDVariable logVar2) {
        Objects.requireNonNull(mu1, "mu1");
        Objects.requireNonNull(logVar1, "logVar1");
        Objects.requireNonNull(mu2, "mu2");
        Objects.requireNonNull(logVar2, "logVar2");
        // Multiplying by exp(-logVar2) rather than dividing by exp(logVar2) avoids inf/inf when
        // the prior variance overflows.
        SDVariable ratio = sd.math()
                .exp(logVar1)
                .add(sd.math().square(mu1.sub(mu2)))
                .mul(sd.math().exp(logVar2.neg()));
        SDVariable terms = logVar2.sub(logVar1).add(ratio).sub(1.0);
        return FeatureReductions.sumOverFeatures(sd, name, terms.mul(0.5));
    }
}
