/**
 * Loss terms and regularisers for autoencoders, written as SameDiff graph builders.
 *
 * <p>Every public op is a static function {@code op(SameDiff sd, String name, ...)} that adds
 * ops to {@code sd} and returns the output variable, named {@code name}. Two output shapes
 * occur:
 * <ul>
 *   <li><b>per-example</b> ops return shape {@code [N]}: a sum over all feature dimensions,
 *       never averaged over the batch, so that the model decides the reduction (mean over the
 *       batch for an ELBO per example, sum for a bound on the whole data set, weights per
 *       example for IWAE-style estimators);</li>
 *   <li><b>batch-level</b> ops (which need batch statistics, such as
 *       {@link org.latentlab.loss.Sparsity#klToTarget}) return a scalar.</li>
 * </ul>
 *
 * <p>Nothing here uses the {@code sd.loss()} built-ins of Deeplearning4j 1.0.0-M2.1: at least
 * one of them gave wrong values in a VAE, and each op here is checked against an independent
 * plain-Java computation in the tests. Randomness never comes from an in-graph random op (in
 * M2.1 the dynamic-shape one repeats its sample): noise enters as placeholders, drawn by the
 * seeded {@link org.latentlab.loss.NoiseSource}. No op relies on gradients of gradients, which
 * M2.1 cannot compute; the contractive penalty is built from forward ops only.
 *
 * <p>A VAE's negative ELBO per example, averaged over the batch by the model:
 * <pre>{@code
 * SDVariable eps = Reparameterization.noisePlaceholder(sd, "eps", DataType.FLOAT, latentDim);
 * SDVariable z = Reparameterization.sample(sd, "z", mu, logVar, eps);
 * SDVariable logits = decoder.apply(z);
 * SDVariable rec = ReconstructionLoss.bernoulliFromLogits(sd, "rec", logits, x);
 * SDVariable kl = KlDivergence.standardNormal(sd, "kl", mu, logVar);
 * SDVariable loss = rec.add(kl).mean("loss");
 * // per batch: feed "eps" with NoiseSource.forStep(seed, epoch, step).standardNormal(n, latentDim)
 * }</pre>
 *
 * <p>Sources: Kingma &amp; Welling, <i>Auto-Encoding Variational Bayes</i>, ICLR 2014;
 * Rifai et al., <i>Contractive Auto-Encoders</i>, ICML 2011; A. Ng, <i>Sparse autoencoder</i>,
 * CS294A lecture notes, 2011.
 */
package org.latentlab.loss;
