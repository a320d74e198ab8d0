package org.latentlab.core;

import java.util.Arrays;
import java.util.Objects;
import org.latentlab.data.Batch;
import org.latentlab.loss.NoiseSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A latent-variable model p(x) = integral p(x|z) p(z) dz with an amortised posterior q(z|x), whose
 * likelihood can be estimated by importance sampling (Burda, Grosse &amp; Salakhutdinov,
 * <i>Importance Weighted Autoencoders</i>, ICLR 2016, Sec. 5):
 * <pre>
 *   log p(x) ~= log (1/k) sum_{i=1..k} w_i,   log w_i = log p(x|z_i) + log p(z_i) - log q(z_i|x),
 *   z_i ~ q(z|x) independently.
 * </pre>
 * The estimate is a lower bound in expectation (Jensen) that rises towards log p(x) as k grows;
 * k = 1 gives the ELBO. The evaluator ({@code org.latentlab.eval.Evaluator}) combines the weights
 * with a stable log-mean-exp; the model only supplies them.
 *
 * <p>A conditional model reads its condition from {@link Batch#labels()}: its weights are then
 * those of log p(x|c).
 */
public interface LikelihoodModel {

    /**
     * Log importance weights of {@code samples} independent draws z_i ~ q(z|x) for every image
     * of the batch, all noise drawn from {@code noise}. Implementations split large requests into
     * several graph calls, so memory stays bounded whatever {@code samples} is.
     *
     * @param batch   images [N, inputSize] with their labels
     * @param samples k &gt;= 1
     * @param noise   the source of every random draw
     * @return DOUBLE [N, samples]: entry (n, i) is log w_i for image n, in nats
     */
    INDArray logImportanceWeights(Batch batch, int samples, NoiseSource noise);

    /**
     * Whether log p(x|z) is a density over continuous pixel values (a Gaussian decoder), rather than the probability
     * of binary pixels (a Bernoulli decoder). The evaluator then dequantizes 8-bit test images before estimating
     * log p(x), so that the estimate bounds the probability of the discrete image and converts to bits per
     * dimension. False unless a model says otherwise.
     */
    default boolean continuousDensity() {
        return false;
    }

    /**
     * The negative ELBO of each image, -log p(x|z) + KL(q(z|x) || p(z)) with z drawn from
     * q(z|x): an upper bound on -log p(x) in expectation, and a VAE's usual anomaly score.
     *
     * @return [N], nats per image
     */
    INDArray negElboPerExample(Batch batch, NoiseSource noise);

    /**
     * The diagonal Gaussian posterior q(z|x) = N(mean, diag(exp(logVariance))) of every image of the batch, as the
     * encoder computes it (no noise is drawn); a conditional model reads its condition from the labels.
     */
    Posterior posterior(Batch batch);

    /**
     * The parameters of a diagonal Gaussian q(z|x) for a batch of images.
     *
     * @param mean         mu, [N, latentSize] (the code of {@code encode})
     * @param logVariance  log sigma^2, [N, latentSize]
     */
    record Posterior(INDArray mean, INDArray logVariance) {
        public Posterior {
            Objects.requireNonNull(mean, "mean");
            Objects.requireNonNull(logVariance, "logVariance");
            if (!Arrays.equals(mean.shape(), logVariance.shape())) {
                throw new IllegalArgumentException("posterior mean " + Arrays.toString(mean.shape())
                        + " and log-variance " + Arrays.toString(logVariance.shape()) + " differ in shape");
            }
        }
    }
}
