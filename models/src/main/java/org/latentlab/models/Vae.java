package org.latentlab.models;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.latentlab.data.Batch;
import org.latentlab.graph.Activation;
import org.latentlab.graph.Dense;
import org.latentlab.graph.GraphContext;
import org.latentlab.graph.Mlp;
import org.latentlab.loss.KlDivergence;
import org.latentlab.loss.NoiseSource;
import org.latentlab.loss.ReconstructionLoss;
import org.latentlab.loss.Reparameterization;
import org.latentlab.model.AutoencoderModel;
import org.latentlab.model.Generative;
import org.latentlab.model.Progress;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Variational autoencoder with a diagonal Gaussian posterior, a standard-normal prior and a
 * Bernoulli decoder over pixel intensities (Kingma &amp; Welling, <i>Auto-Encoding Variational
 * Bayes</i>, ICLR 2014). With beta != 1 the KL term is reweighted as in Higgins et al.,
 * <i>beta-VAE</i>, ICLR 2017.
 *
 * <p>Loss terms (means over the batch, in nats per image): {@code recon} = -log p(x|z) with z
 * sampled once by reparameterisation, {@code kl} = KL(q(z|x) || N(0, I)) in closed form, and
 * {@code loss} = recon + beta * kl, the negative ELBO when beta = 1. The noise eps is a
 * placeholder fed per batch from a seeded {@link NoiseSource}.
 */
public final class Vae extends AutoencoderModel<VaeConfig> implements Generative {
    public static final String EPS = "eps";
    public static final String RECON = "recon";
    public static final String KL = "kl";
    /** Per-example negative ELBO, [N]: the anomaly score of a VAE. */
    public static final String NEG_ELBO_PER_EXAMPLE = "neg_elbo_per_example";

    public Vae(VaeConfig config, SameDiff sd) {
        super(config, sd);
    }

    @Override
    protected void define(GraphContext g) {
        SameDiff sd = g.sd();
        VaeConfig c = config;
        SDVariable x = sd.placeHolder(INPUT, DataType.FLOAT, -1, c.inputSize());
        SDVariable eps = Reparameterization.noisePlaceholder(sd, EPS, DataType.FLOAT, c.latentSize());

        int[] encoderSizes = new int[c.hiddenSizes().size() + 1];
        encoderSizes[0] = c.inputSize();
        for (int i = 0; i < c.hiddenSizes().size(); i++) {
            encoderSizes[i + 1] = c.hiddenSizes().get(i);
        }
        int lastHidden = encoderSizes[encoderSizes.length - 1];
        Mlp encoder = Mlp.create(g, "encoder", encoderSizes, c.activation(), c.activation(), c.weightInit());
        SDVariable h = encoder.apply(x);
        SDVariable mu = Dense.create(g, "mu", lastHidden, c.latentSize(), Activation.IDENTITY, c.weightInit()).apply(h, CODE);
        SDVariable logVar = Dense.create(g, "log_var", lastHidden, c.latentSize(), Activation.IDENTITY, c.weightInit())
                .apply(h, "log_var");
        SDVariable z = Reparameterization.sample(sd, "z", mu, logVar, eps);

        List<Integer> decoderSizes = new ArrayList<>();
        decoderSizes.add(c.latentSize());
        for (int i = c.hiddenSizes().size() - 1; i >= 0; i--) {
            decoderSizes.add(c.hiddenSizes().get(i));
        }
        decoderSizes.add(c.inputSize());
        Mlp decoder = Mlp.create(g, "decoder", decoderSizes.stream().mapToInt(Integer::intValue).toArray(),
                c.activation(), Activation.IDENTITY, c.weightInit());
        SDVariable logits = decoder.apply(z, "logits");
        sd.nn().sigmoid(RECONSTRUCTION, logits);

        SDVariable zIn = sd.placeHolder(DECODER_INPUT, DataType.FLOAT, -1, c.latentSize());
        sd.nn().sigmoid(DECODED, decoder.apply(zIn));

        SDVariable nll = ReconstructionLoss.bernoulliFromLogits(sd, "recon_per_example", logits, x);
        SDVariable kl = KlDivergence.standardNormal(sd, "kl_per_example", mu, logVar);
        nll.add(NEG_ELBO_PER_EXAMPLE, kl);
        SDVariable recon = nll.mean(RECON);
        SDVariable klMean = kl.mean(KL);
        recon.add(LOSS, klMean.mul(c.beta()));
    }

    @Override
    public List<String> lossTerms() {
        return List.of(LOSS, RECON, KL);
    }

    @Override
    public int codeSize() {
        return config.latentSize();
    }

    @Override
    public List<String> trainingPlaceholders() {
        return List.of(INPUT, EPS);
    }

    @Override
    public INDArray[] trainingInputs(Batch batch, NoiseSource noise, Progress progress) {
        return new INDArray[] {batch.features(), noise.standardNormal(batch.size(), config.latentSize())};
    }

    /** Adds {@code neg_elbo} = recon + kl, the negative ELBO whatever beta is. */
    @Override
    public Map<String, Double> summaryMetrics(Map<String, Double> meanTerms) {
        Map<String, Double> metrics = super.summaryMetrics(meanTerms);
        metrics.put("neg_elbo", meanTerms.get(RECON) + meanTerms.get(KL));
        return metrics;
    }

    @Override
    public INDArray sample(int n, NoiseSource noise) {
        return decode(noise.standardNormal(n, config.latentSize()));
    }
}
