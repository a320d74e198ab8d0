package org.latentlab.models.ae;

import java.util.ArrayList;
import java.util.List;
import org.latentlab.core.AutoencoderModel;
import org.latentlab.graph.Activation;
import org.latentlab.graph.GraphContext;
import org.latentlab.graph.Mlp;
import org.latentlab.loss.ReconstructionLoss;
import org.latentlab.loss.Sparsity;
import org.latentlab.models.ae.SparseAutoencoderConfig.SparsityPenalty;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Sparse autoencoder: a deterministic autoencoder whose code units are pushed to be mostly
 * inactive, so that even an overcomplete code (wider than the input) learns features instead of
 * copying the input (A. Ng, <i>Sparse autoencoder</i>, CS294A lecture notes, Stanford 2011,
 * Section 3). The two penalties of the classic comparison are selected by
 * {@link SparseAutoencoderConfig#penalty()}:
 * <ul>
 *   <li>{@code KL}: sigmoid hidden units and sigmoid output; {@code sparsity} =
 *       sum_j KL(rho || rhoHat_j) = sum_j [rho log(rho / rhoHat_j) + (1 - rho) log((1 - rho) /
 *       (1 - rhoHat_j))], rhoHat_j the mean activation of code unit j over the batch (Ng 2011,
 *       Section 3);</li>
 *   <li>{@code L1}: ReLU hidden units and softplus output (non-negative, like the ReLU code);
 *       {@code sparsity} = mean over the batch of sum_j |h_j|.</li>
 * </ul>
 * Both use Ng's reconstruction term {@code recon} = (1/2) sum_i (xhat_i - x_i)^2 (mean over the
 * batch), so that his weight beta = 3 keeps its meaning.
 * {@code loss} = recon + weight * sparsity, with {@code klWeight} or {@code l1Weight}. The
 * penalty acts on the code only, the last hidden layer; earlier hidden layers (if any) are
 * unpenalised. The decoder mirrors the hidden layers before the code.
 *
 * <p>The KL term is a property of the batch (rhoHat is a batch mean inside a logarithm), not a
 * mean of per-example values: its value depends on the batch size used to evaluate it.
 * {@code mse_per_pixel} = mean over examples and pixels of (xhat - x)^2, reported by every
 * autoencoder so that reconstructions compare across variants.
 */
public final class SparseAutoencoder extends AutoencoderModel<SparseAutoencoderConfig> {
    public static final String RECON = "recon";
    public static final String SPARSITY = "sparsity";
    public static final String MSE_PER_PIXEL = "mse_per_pixel";

    public SparseAutoencoder(SparseAutoencoderConfig config, SameDiff sd) {
        super(config, sd);
    }

    @Override
    protected void define(GraphContext g) {
        SameDiff sd = g.sd();
        SparseAutoencoderConfig c = config;
        boolean kl = c.penalty() == SparsityPenalty.KL;
        Activation hidden = kl ? Activation.SIGMOID : Activation.RELU;
        SDVariable x = sd.placeHolder(INPUT, DataType.FLOAT, -1, c.inputSize());

        int[] encoderSizes = new int[c.hiddenSizes().size() + 1];
        encoderSizes[0] = c.inputSize();
        for (int i = 0; i < c.hiddenSizes().size(); i++) {
            encoderSizes[i + 1] = c.hiddenSizes().get(i);
        }
        Mlp encoder = Mlp.create(g, "encoder", encoderSizes, hidden, hidden, c.weightInit());
        SDVariable code = encoder.apply(x, CODE);

        List<Integer> decoderSizes = new ArrayList<>();
        for (int i = c.hiddenSizes().size() - 1; i >= 0; i--) {
            decoderSizes.add(c.hiddenSizes().get(i));
        }
        decoderSizes.add(c.inputSize());
        // The output layer is linear here; its non-linearity (sigmoid or softplus) is applied below.
        Mlp decoder = Mlp.create(
                g,
                "decoder",
                decoderSizes.stream().mapToInt(Integer::intValue).toArray(),
                hidden,
                Activation.IDENTITY,
                c.weightInit());
        SDVariable preOutput = decoder.apply(code, "pre_output");
        SDVariable zIn = sd.placeHolder(DECODER_INPUT, DataType.FLOAT, -1, codeSize());
        SDVariable decodedPre = decoder.apply(zIn);

        SDVariable reconstruction;
        SDVariable sparsity;
        double weight;
        if (kl) {
            reconstruction = sd.nn().sigmoid(RECONSTRUCTION, preOutput);
            sd.nn().sigmoid(DECODED, decodedPre);
            sparsity = Sparsity.klToTarget(sd, SPARSITY, code, c.rho());
            weight = c.klWeight();
        } else {
            reconstruction = sd.nn().softplus(RECONSTRUCTION, preOutput);
            sd.nn().softplus(DECODED, decodedPre);
            sparsity = Sparsity.l1Activity(sd, "l1_per_example", code).mean(SPARSITY);
            weight = c.l1Weight();
        }
        // Ng's reconstruction term, (1/2) sum_i (xhat_i - x_i)^2, for both penalties: the default
        // weights (beta = 3) are calibrated against it, not against a cross-entropy, which is
        // several times larger on MNIST and would drown the penalty.
        SDVariable reconPerExample =
                ReconstructionLoss.squaredError(sd, null, reconstruction, x).mul("recon_per_example", 0.5);
        SDVariable recon = reconPerExample.mean(RECON);
        recon.add(LOSS, sparsity.mul(weight));
        ReconstructionLoss.meanSquaredError(sd, "mse_per_example", reconstruction, x)
                .mean(MSE_PER_PIXEL);
    }

    @Override
    public List<String> lossTerms() {
        return List.of(LOSS, RECON, SPARSITY, MSE_PER_PIXEL);
    }

    @Override
    public int codeSize() {
        return config.hiddenSizes().get(config.hiddenSizes().size() - 1);
    }
}
