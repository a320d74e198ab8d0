package org.latentlab.models.ae;

import java.util.ArrayList;
import java.util.List;
import org.latentlab.core.AutoencoderModel;
import org.latentlab.core.Progress;
import org.latentlab.data.Batch;
import org.latentlab.graph.Activation;
import org.latentlab.graph.GraphContext;
import org.latentlab.graph.Mlp;
import org.latentlab.loss.Contractive;
import org.latentlab.loss.NoiseSource;
import org.latentlab.loss.ReconstructionLoss;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Contractive autoencoder: a deterministic autoencoder whose encoder is penalised for being
 * sensitive to its input, through the squared Frobenius norm of its Jacobian (Rifai, Vincent,
 * Muller, Glorot &amp; Bengio, <i>Contractive Auto-Encoders: Explicit Invariance During Feature
 * Extraction</i>, ICML 2011):
 * <pre>
 *   loss = recon + lambda * contractive,   contractive = mean over the batch of ||J_f(x)||_F^2,
 *   ||J_f(x)||_F^2 = sum_{j,i} (d h_j(x) / d x_i)^2
 * </pre>
 * with {@code recon} the binary cross-entropy of the sigmoid output summed over the pixels,
 * -sum_i [x_i log xhat_i + (1 - x_i) log(1 - xhat_i)], as in the paper.
 *
 * <p>How the penalty is computed. M2.1 cannot take gradients of gradients, so the Jacobian comes
 * from forward ops only:
 * <ul>
 *   <li>one sigmoid encoder layer (the paper's model): the exact closed form
 *       sum_j (h_j (1 - h_j))^2 sum_i W_ij^2 ({@link Contractive#sigmoidLayerExact});</li>
 *   <li>any other encoder: Hutchinson's estimate with central differences,
 *       (1/K) sum_k ||(f(x + step v_k) - f(x - step v_k)) / (2 step)||^2, v_k ~ N(0, I)
 *       ({@link Contractive#finiteDifferenceEstimate}). The K directions are placeholders
 *       {@code direction_0 .. direction_{K-1}}, drawn per batch from the run's
 *       {@link NoiseSource}; the estimate is unbiased up to O(step^2) and each training step
 *       costs 2K extra encoder passes.</li>
 * </ul>
 * {@code contractive_per_example} holds the per-example value ([N]). {@code mse_per_pixel} =
 * mean over examples and pixels of (xhat - x)^2, reported by every autoencoder. The decoder is
 * untied (its own weights, mirroring the encoder); the paper ties it to the encoder.
 */
public final class ContractiveAutoencoder extends AutoencoderModel<ContractiveAutoencoderConfig> {
    public static final String RECON = "recon";
    public static final String CONTRACTIVE = "contractive";
    public static final String CONTRACTIVE_PER_EXAMPLE = "contractive_per_example";
    public static final String MSE_PER_PIXEL = "mse_per_pixel";
    /** Prefix of the direction placeholders of the finite-difference estimate. */
    public static final String DIRECTION = "direction_";

    public ContractiveAutoencoder(ContractiveAutoencoderConfig config, SameDiff sd) {
        super(config, sd);
    }

    @Override
    protected void define(GraphContext g) {
        SameDiff sd = g.sd();
        ContractiveAutoencoderConfig c = config;
        SDVariable x = sd.placeHolder(INPUT, DataType.FLOAT, -1, c.inputSize());

        int[] encoderSizes = new int[c.encoderSizes().size() + 1];
        encoderSizes[0] = c.inputSize();
        for (int i = 0; i < c.encoderSizes().size(); i++) {
            encoderSizes[i + 1] = c.encoderSizes().get(i);
        }
        Mlp encoder = Mlp.create(g, "encoder", encoderSizes, c.activation(), c.activation(), c.weightInit());
        SDVariable code = encoder.apply(x, CODE);

        List<Integer> decoderSizes = new ArrayList<>();
        for (int i = c.encoderSizes().size() - 1; i >= 0; i--) {
            decoderSizes.add(c.encoderSizes().get(i));
        }
        decoderSizes.add(c.inputSize());
        Mlp decoder = Mlp.create(
                g,
                "decoder",
                decoderSizes.stream().mapToInt(Integer::intValue).toArray(),
                c.activation(),
                Activation.IDENTITY,
                c.weightInit());
        SDVariable logits = decoder.apply(code, "logits");
        SDVariable reconstruction = sd.nn().sigmoid(RECONSTRUCTION, logits);
        SDVariable zIn = sd.placeHolder(DECODER_INPUT, DataType.FLOAT, -1, codeSize());
        sd.nn().sigmoid(DECODED, decoder.apply(zIn));

        SDVariable jacobianNorm;
        if (c.exactPenalty()) {
            jacobianNorm = Contractive.sigmoidLayerExact(
                    sd, CONTRACTIVE_PER_EXAMPLE, code, encoder.layers().get(0).weights());
        } else {
            List<SDVariable> directions = new ArrayList<>();
            for (int k = 0; k < c.directions(); k++) {
                directions.add(sd.placeHolder(DIRECTION + k, DataType.FLOAT, -1, c.inputSize()));
            }
            // The encoder closure reuses the encoder's weights on each perturbed input.
            jacobianNorm = Contractive.finiteDifferenceEstimate(
                    sd, CONTRACTIVE_PER_EXAMPLE, encoder::apply, x, directions, c.step());
        }
        SDVariable contractive = jacobianNorm.mean(CONTRACTIVE);
        SDVariable recon = ReconstructionLoss.bernoulliFromLogits(sd, "recon_per_example", logits, x)
                .mean(RECON);
        recon.add(LOSS, contractive.mul(c.lambda()));
        ReconstructionLoss.meanSquaredError(sd, "mse_per_example", reconstruction, x)
                .mean(MSE_PER_PIXEL);
    }

    @Override
    public List<String> lossTerms() {
        return List.of(LOSS, RECON, CONTRACTIVE, MSE_PER_PIXEL);
    }

    @Override
    public int codeSize() {
        return config.encoderSizes().get(config.encoderSizes().size() - 1);
    }

    @Override
    public List<String> trainingPlaceholders() {
        if (config.exactPenalty()) {
            return List.of(INPUT);
        }
        List<String> names = new ArrayList<>();
        names.add(INPUT);
        for (int k = 0; k < config.directions(); k++) {
            names.add(DIRECTION + k);
        }
        return names;
    }

    /** The input, then (finite-difference estimate only) K standard-normal directions drawn from {@code noise}. */
    @Override
    public INDArray[] trainingInputs(Batch batch, NoiseSource noise, Progress progress) {
        List<String> names = trainingPlaceholders();
        INDArray[] inputs = new INDArray[names.size()];
        inputs[0] = batch.features();
        for (int i = 1; i < inputs.length; i++) {
            inputs[i] = noise.standardNormal(batch.size(), config.inputSize());
        }
        return inputs;
    }
}
