package org.latentlab.models.vae;

import org.latentlab.graph.GraphContext;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Variational autoencoder with MLP encoder and decoder, a diagonal Gaussian posterior, a
 * standard-normal prior and (by default) a Bernoulli decoder over pixel intensities (Kingma &amp;
 * Welling, <i>Auto-Encoding Variational Bayes</i>, ICLR 2014). With beta != 1 the KL term is
 * reweighted as in Higgins et al., <i>beta-VAE</i>, ICLR 2017, optionally after a linear KL
 * warm-up; the Gaussian decoder has a fixed sigma. The graph, the loss terms ({@code loss},
 * {@code recon}, {@code kl}) and the feeds are those of {@link AbstractVae}; this class only
 * chooses the networks. The defaults are the pytorch/examples model (784-400-20).
 */
public final class Vae extends AbstractVae<VaeConfig> {

    public Vae(VaeConfig config, SameDiff sd) {
        super(config, sd);
    }

    @Override
    protected Encoder buildEncoder(GraphContext g, int inputWidth) {
        return mlpEncoder(g, inputWidth, config.hiddenSizes(), config.activation(), config.weightInit());
    }

    @Override
    protected Block buildDecoder(GraphContext g, int inputWidth) {
        return mlpDecoder(
                g, inputWidth, config.hiddenSizes(), config.inputSize(), config.activation(), config.weightInit());
    }
}
