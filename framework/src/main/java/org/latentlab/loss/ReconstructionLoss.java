package org.latentlab.loss;

import java.util.Objects;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Reconstruction terms: negative log-likelihoods of the target under the decoder's output
 * distribution, and plain squared errors. All are per example (shape {@code [N]}), summed over
 * the features.
 *
 * <p>The Bernoulli and Gaussian decoders are those of Kingma &amp; Welling,
 * <i>Auto-Encoding Variational Bayes</i>, ICLR 2014, Appendix C. These are written from
 * elementwise ops rather than taken from {@code sd.loss()}, whose sigmoid cross-entropy gave
 * wrong values in a VAE under Deeplearning4j 1.0.0-M2.1.
 */
public final class ReconstructionLoss {

    private static final double LOG_TWO_PI = Math.log(2.0 * Math.PI);

    private ReconstructionLoss() {}

    /**
     * Bernoulli negative log-likelihood (binary cross-entropy) from logits:
     * <pre>
     *   -[t log sigmoid(l) + (1 - t) log(1 - sigmoid(l))]
     *       = max(l, 0) - t * l + log(1 + exp(-|l|))
     * </pre>
     * summed over the features. The right-hand form never evaluates {@code exp} of a positive
     * number, so it is finite and exact for logits of any size ({@code sd.nn().softplus}
     * overflows to infinity in FLOAT near {@code l = 89}). Targets may be continuous in
     * {@code [0, 1]} (grey-level MNIST intensities); the value is then a cross-entropy, which
     * is not zero at its minimum.
     *
     * @param sd     graph to add the ops to
     * @param name   name of the output variable
     * @param logits decoder output before the sigmoid, shape {@code [N, ...]}
     * @param target targets in {@code [0, 1]}, same shape
     * @return variable {@code name} of shape {@code [N]}, in nats
     */
    public static SDVariable bernoulliFromLogits(SameDiff sd, String name, SDVariable logits, SDVariable target) {
        Objects.requireNonNull(logits, "logits");
        Objects.requireNonNull(target, "target");
        SDVariable positivePart = sd.nn().relu(logits, 0.0);
        SDVariable softplusOfMinusAbs =
                sd.math().log1p(sd.math().exp(sd.math().abs(logits).neg()));
        SDVariable terms = positivePart.sub(target.mul(logits)).add(softplusOfMinusAbs);
        return FeatureReductions.sumOverFeatures(sd, name, terms);
    }

    /**
     * Gaussian negative log-likelihood with a per-feature learned variance:
     * <pre>
     *   0.5 * sum_i (log(2 pi) + logVar_i + (t_i - mean_i)^2 / exp(logVar_i))
     * </pre>
     *
     * @param sd     graph to add the ops to
     * @param name   name of the output variable
     * @param mean   decoder means, shape {@code [N, ...]}
     * @param logVar decoder log-variances, broadcastable to the shape of {@code mean}
     * @param target targets, same shape as {@code mean}
     * @return variable {@code name} of shape {@code [N]}, in nats
     */
    public static SDVariable gaussian(SameDiff sd, String name, SDVariable mean, SDVariable logVar, SDVariable target) {
        Objects.requireNonNull(mean, "mean");
        Objects.requireNonNull(logVar, "logVar");
        Objects.requireNonNull(target, "target");
        // exp(-logVar) as a factor: dividing by exp(logVar) gives inf/inf for large log-variances.
        SDVariable scaledSquare =
                sd.math().square(target.sub(mean)).mul(sd.math().exp(logVar.neg()));
        SDVariable terms = scaledSquare.add(logVar).add(LOG_TWO_PI).mul(0.5);
        return FeatureReductions.sumOverFeatures(sd, name, terms);
    }

    /**
     * Gaussian negative log-likelihood with a fixed standard deviation {@code sigma}, the same
     * for every feature:
     * <pre>
     *   sum_i ((t_i - mean_i)^2 / (2 sigma^2) + log(sigma) + 0.5 log(2 pi))
     * </pre>
     * Up to the constant it is a squared error weighted by {@code 1 / (2 sigma^2)}; the
     * constant is kept so that the value is a true log-likelihood, comparable across models.
     *
     * @param sd     graph to add the ops to
     * @param name   name of the output variable
     * @param mean   decoder means, shape {@code [N, ...]}
     * @param sigma  standard deviation, {@code > 0}
     * @param target targets, same shape as {@code mean}
     * @return variable {@code name} of shape {@code [N]}, in nats
     * @throws IllegalArgumentException if {@code sigma} is not a positive finite number
     */
    public static SDVariable gaussian(SameDiff sd, String name, SDVariable mean, double sigma, SDVariable target) {
        Objects.requireNonNull(mean, "mean");
        Objects.requireNonNull(target, "target");
        if (!(sigma > 0.0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("sigma must be positive and finite, got " + sigma);
        }
        double perFeatureConstant = Math.log(sigma) + 0.5 * LOG_TWO_PI;
        SDVariable terms = sd.math()
                .square(target.sub(mean))
                .mul(1.0 / (2.0 * sigma * sigma))
                .add(perFeatureConstant);
        return FeatureReductions.sumOverFeatures(sd, name, terms);
    }

    /**
     * Sum of squared errors per example: {@code sum_i (p_i - t_i)^2}.
     *
     * @param sd         graph to add the ops to
     * @param name       name of the output variable
     * @param prediction shape {@code [N, ...]}
     * @param target     same shape
     * @return variable {@code name} of shape {@code [N]}
     */
    public static SDVariable squaredError(SameDiff sd, String name, SDVariable prediction, SDVariable target) {
        Objects.requireNonNull(prediction, "prediction");
        Objects.requireNonNull(target, "target");
        return FeatureReductions.sumOverFeatures(sd, name, sd.math().square(prediction.sub(target)));
    }

    /**
     * Mean of squared errors over the features, per example: {@code (1/D) sum_i (p_i - t_i)^2}.
     * Its scale does not grow with the input size, unlike {@link #squaredError}.
     *
     * @param sd         graph to add the ops to
     * @param name       name of the output variable
     * @param prediction shape {@code [N, ...]}
     * @param target     same shape
     * @return variable {@code name} of shape {@code [N]}
     */
    public static SDVariable meanSquaredError(SameDiff sd, String name, SDVariable prediction, SDVariable target) {
        Objects.requireNonNull(prediction, "prediction");
        Objects.requireNonNull(target, "target");
        return FeatureReductions.meanOverFeatures(sd, name, sd.math().square(prediction.sub(target)));
    }
}
