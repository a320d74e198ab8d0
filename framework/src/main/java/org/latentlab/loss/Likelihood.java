package org.latentlab.loss;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The decoder's output distribution p(x|z) of the VAE family (Kingma &amp; Welling 2014,
 * Appendix C). The decoder always ends in an unbounded output {@code o}; the mean is
 * {@code sigmoid(o)} for both, so reconstructions and samples are pixel intensities in [0, 1].
 */
public enum Likelihood {
    /**
     * Bernoulli over pixel intensities, -log p(x|z) = binary cross-entropy from logits o
     * ({@link ReconstructionLoss#bernoulliFromLogits}). The pytorch/examples VAE.
     */
    BERNOULLI,
    /**
     * Gaussian with mean sigmoid(o) and a FIXED standard deviation {@code sigma} for every pixel,
     * -log p(x|z) = sum_i (x_i - mean_i)^2 / (2 sigma^2) + log sigma + 0.5 log 2 pi
     * ({@link ReconstructionLoss#gaussian(SameDiff, String, SDVariable, double, SDVariable)}).
     * A fixed sigma rather than a learned per-pixel variance: most MNIST pixels are exactly 0,
     * and a learned variance there shrinks without bound, so the likelihood diverges.
     */
    GAUSSIAN;

    /** -log p(x|z) per example, [N], from the decoder output {@code out} [N, D]. */
    public SDVariable negLogLikelihood(SameDiff sd, String name, SDVariable out, SDVariable target, double sigma) {
        return switch (this) {
            case BERNOULLI -> ReconstructionLoss.bernoulliFromLogits(sd, name, out, target);
            case GAUSSIAN -> ReconstructionLoss.gaussian(sd, name, sd.nn().sigmoid(out), sigma, target);
        };
    }

    /** The mean of p(x|z), [N, D]. */
    public SDVariable mean(SameDiff sd, String name, SDVariable out) {
        return name == null ? sd.nn().sigmoid(out) : sd.nn().sigmoid(name, out);
    }
}
