package org.latentlab.loss;

import java.util.Objects;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The reparameterisation trick: a sample of {@code N(mu, diag(exp(logVar)))} written as a
 * differentiable function of the parameters and of parameter-free noise,
 * <pre>
 *   z = mu + exp(0.5 * logVar) * eps,   eps ~ N(0, I)
 * </pre>
 * (Kingma &amp; Welling, <i>Auto-Encoding Variational Bayes</i>, ICLR 2014, Section 2.4).
 *
 * <p>The noise {@code eps} is a placeholder, fed once per batch from a {@link NoiseSource}.
 * An in-graph random op is not used because in Deeplearning4j 1.0.0-M2.1 the dynamic-shape
 * normal op returns the same sample on every call and ignores the global seed; feeding the
 * noise also makes a run reproducible and resumable.
 */
public final class Reparameterization {

    private Reparameterization() {}

    /**
     * Adds {@code z = mu + exp(0.5 * logVar) * eps}.
     *
     * @param sd     graph to add the ops to
     * @param name   name of the output variable
     * @param mu     means, shape {@code [N, J]}
     * @param logVar log-variances, same shape
     * @param eps    standard-normal noise of the same shape, normally a placeholder made by
     *               {@link #noisePlaceholder}
     * @return variable {@code name} of shape {@code [N, J]}
     */
    public static SDVariable sample(SameDiff sd, String name, SDVariable mu, SDVariable logVar, SDVariable eps) {
        Objects.requireNonNull(mu, "mu");
        Objects.requireNonNull(logVar, "logVar");
        Objects.requireNonNull(eps, "eps");
        SDVariable std = sd.math().exp(logVar.mul(0.5));
        return mu.add(name, std.mul(eps));
    }

    /**
     * Declares the noise placeholder for {@link #sample}, of shape {@code [-1, latentDim]}
     * (batch size left open).
     *
     * @param sd        graph to add the placeholder to
     * @param name      placeholder name (the key to feed the noise under)
     * @param dataType  data type of the noise, the same as the encoder's output
     * @param latentDim number of latent dimensions
     * @return the placeholder
     */
    public static SDVariable noisePlaceholder(SameDiff sd, String name, DataType dataType, long latentDim) {
        if (latentDim <= 0) {
            throw new IllegalArgumentException("latentDim must be positive, got " + latentDim);
        }
        return sd.placeHolder(name, dataType, -1, latentDim);
    }
}
