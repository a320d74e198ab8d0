package org.latentlab.models.ae;

import java.util.List;
import java.util.Map;
import org.latentlab.core.AutoencoderModel;
import org.latentlab.core.Denoising;
import org.latentlab.core.Progress;
import org.latentlab.data.Batch;
import org.latentlab.data.Corruption;
import org.latentlab.graph.GraphContext;
import org.latentlab.loss.NoiseSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Denoising autoencoder (Vincent, Larochelle, Bengio &amp; Manzagol, <i>Extracting and Composing
 * Robust Features with Denoising Autoencoders</i>, ICML 2008): the {@link Autoencoder} graph,
 * trained to reconstruct the clean input x from a corrupted copy x~ drawn from
 * {@link org.latentlab.data.Corruption}, so that it cannot learn the identity even when the
 * code is overcomplete.
 *
 * <p>The corrupted input is fed to {@value #INPUT} and the clean one to {@value #TARGET}; the
 * corruption is drawn in Java per batch from the seeded {@link NoiseSource} (fresh every step,
 * reproducible). Loss terms are those of the {@link Autoencoder} with x replaced by the clean
 * target: e.g. BCE = -sum_i [x_i log r_i(x~) + (1 - x_i) log(1 - r_i(x~))].
 *
 * <p><b>Evaluation and inference.</b> {@link #evaluate} (through {@link #feeds}) corrupts the
 * input exactly as in training, with noise from its seed: the reported loss and
 * {@code mse_per_pixel} measure denoising, the objective the model is trained on and what
 * early stopping should watch. {@link #reconstruct}, {@link #encode} and {@link #decode} apply
 * no corruption: at inference the model reconstructs the input it is given.
 */
public final class DenoisingAutoencoder extends AutoencoderModel<DenoisingAutoencoderConfig> implements Denoising {
    /** Placeholder for the clean input, the reconstruction target. */
    public static final String TARGET = "target";

    public DenoisingAutoencoder(DenoisingAutoencoderConfig config, SameDiff sd) {
        super(config, sd);
    }

    @Override
    protected void define(GraphContext g) {
        SameDiff sd = g.sd();
        SDVariable x = sd.placeHolder(INPUT, DataType.FLOAT, -1, config.inputSize());
        SDVariable target = sd.placeHolder(TARGET, DataType.FLOAT, -1, config.inputSize());
        Autoencoder.defineMlpAutoencoder(g, config.autoencoder(), x, target);
    }

    @Override
    public List<String> lossTerms() {
        return Autoencoder.TERMS;
    }

    @Override
    public int codeSize() {
        return config.autoencoder().codeSize();
    }

    @Override
    public List<String> trainingPlaceholders() {
        return List.of(INPUT, TARGET);
    }

    /** The corrupted batch for {@value #INPUT}, the clean one for {@value #TARGET}. */
    @Override
    public INDArray[] trainingInputs(Batch batch, NoiseSource noise, Progress progress) {
        INDArray clean = batch.features();
        return new INDArray[] {config.corruption().apply(clean, noise), clean};
    }

    /** Reconstruction of the clean input {@code x}: no corruption at inference ({@code noise} unused). */
    @Override
    public INDArray reconstruct(INDArray x, NoiseSource noise) {
        return sd.output(Map.of(INPUT, x), RECONSTRUCTION).get(RECONSTRUCTION);
    }

    /** The corruption applied to the training inputs. */
    @Override
    public Corruption corruption() {
        return config.corruption();
    }
}
