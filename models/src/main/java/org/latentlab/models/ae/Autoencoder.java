package org.latentlab.models.ae;

import java.util.ArrayList;
import java.util.List;
import org.latentlab.core.AutoencoderModel;
import org.latentlab.graph.Activation;
import org.latentlab.graph.GraphContext;
import org.latentlab.graph.Mlp;
import org.latentlab.loss.ReconstructionKind;
import org.latentlab.loss.ReconstructionLoss;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Deterministic autoencoder of fully connected layers, of any depth: an encoder
 * {@code inputSize -> encoderSizes...} (the last width is the code) and a decoder mirroring it
 * back to {@code inputSize}. The code may be smaller than the input (undercomplete) or larger
 * (overcomplete; nothing then stops it from learning the identity, which is what denoising,
 * sparse and contractive variants add). Rumelhart, Hinton &amp; Williams, <i>Learning internal
 * representations by error propagation</i>, 1986; Hinton &amp; Salakhutdinov, <i>Reducing the
 * Dimensionality of Data with Neural Networks</i>, Science 2006.
 *
 * <p>Loss terms (means over the batch): {@code recon}, the reconstruction loss per image
 * ({@link ReconstructionKind}: BCE = -sum_i [x_i log r_i + (1 - x_i) log(1 - r_i)] from the
 * logits, or MSE = sum_i (r_i - x_i)^2), {@code loss} = recon, and {@code mse_per_pixel} =
 * (1/D) sum_i (r_i - x_i)^2 whatever the training loss, so that every autoencoder can be held
 * to a per-pixel quality bar.
 */
public final class Autoencoder extends AutoencoderModel<AutoencoderConfig> {
    public static final String RECON = "recon";
    public static final String MSE_PER_PIXEL = "mse_per_pixel";
    /** Terms reported by {@code ae}, {@code dae} and {@code conv-ae}. */
    static final List<String> TERMS = List.of(LOSS, RECON, MSE_PER_PIXEL);

    public Autoencoder(AutoencoderConfig config, SameDiff sd) {
        super(config, sd);
    }

    @Override
    protected void define(GraphContext g) {
        SDVariable x = g.sd().placeHolder(INPUT, DataType.FLOAT, -1, config.inputSize());
        defineMlpAutoencoder(g, config, x, x);
    }

    /**
     * The graph of an MLP autoencoder reading {@code input} and reconstructing {@code target}:
     * the same tensor for {@code ae}, the clean input beside a corrupted one for {@code dae}.
     */
    static void defineMlpAutoencoder(GraphContext g, AutoencoderConfig c, SDVariable input, SDVariable target) {
        SameDiff sd = g.sd();
        List<Integer> widths = c.encoderSizes();
        int[] encoderSizes = new int[widths.size() + 1];
        encoderSizes[0] = c.inputSize();
        for (int i = 0; i < widths.size(); i++) {
            encoderSizes[i + 1] = widths.get(i);
        }
        Mlp encoder = Mlp.create(g, "encoder", encoderSizes, c.hiddenActivation(), c.codeActivation(), c.weightInit());
        SDVariable code = encoder.apply(input, CODE);

        List<Integer> decoderSizes = new ArrayList<>();
        for (int i = encoderSizes.length - 1; i >= 0; i--) {
            decoderSizes.add(encoderSizes[i]);
        }
        // The decoder's last layer is linear: the output activation is applied separately so that
        // the BCE can be computed stably from the logits.
        Mlp decoder = Mlp.create(
                g,
                "decoder",
                decoderSizes.stream().mapToInt(Integer::intValue).toArray(),
                c.hiddenActivation(),
                Activation.IDENTITY,
                c.weightInit());
        SDVariable logits = decoder.apply(code, "logits");
        SDVariable reconstruction = output(sd, RECONSTRUCTION, c.outputActivation(), logits);

        SDVariable zIn = sd.placeHolder(DECODER_INPUT, DataType.FLOAT, -1, c.codeSize());
        output(sd, DECODED, c.outputActivation(), decoder.apply(zIn));

        defineLosses(sd, c.loss(), logits, reconstruction, target);
    }

    /** {@code activation(logits)} as a new variable called {@code name} (a copy for IDENTITY). */
    static SDVariable output(SameDiff sd, String name, Activation activation, SDVariable logits) {
        SDVariable out = activation == Activation.IDENTITY ? sd.identity(logits) : activation.apply(sd, logits);
        return out.rename(name);
    }

    /** The terms of {@link #TERMS}, for images or vectors flattened to [N, D]. */
    static void defineLosses(
            SameDiff sd, ReconstructionKind kind, SDVariable logits, SDVariable reconstruction, SDVariable target) {
        SDVariable perExample =
                switch (kind) {
                    case BCE -> ReconstructionLoss.bernoulliFromLogits(sd, "recon_per_example", logits, target);
                    case MSE -> ReconstructionLoss.squaredError(sd, "recon_per_example", reconstruction, target);
                };
        SDVariable recon = perExample.mean(RECON);
        recon.mul(LOSS, 1.0);
        ReconstructionLoss.meanSquaredError(sd, "mse_per_example", reconstruction, target)
                .mean(MSE_PER_PIXEL);
    }

    @Override
    public List<String> lossTerms() {
        return TERMS;
    }

    @Override
    public int codeSize() {
        return config.codeSize();
    }
}
