package org.latentlab.loss;

/**
 * The reconstruction loss of a deterministic autoencoder.
 *
 * <ul>
 *   <li>{@link #BCE}: Bernoulli negative log-likelihood (binary cross-entropy) computed from the
 *       decoder's logits, summed over pixels, in nats per image; needs a sigmoid output.</li>
 *   <li>{@link #MSE}: squared error summed over pixels, per image. Summed rather than averaged
 *       so that its gradient has the same per-pixel scale as the BCE's; the per-pixel mean is
 *       reported separately as {@code mse_per_pixel} by every autoencoder.</li>
 * </ul>
 */
public enum ReconstructionKind {
    BCE,
    MSE
}
