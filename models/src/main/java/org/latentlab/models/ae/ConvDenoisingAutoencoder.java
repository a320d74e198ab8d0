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
 * Convolutional denoising autoencoder: the {@link ConvAutoencoder} graph trained, like the
 * {@link DenoisingAutoencoder} (Vincent et al., ICML 2008), to reconstruct the clean image from
 * a corrupted copy drawn per batch from the seeded {@link NoiseSource}. The corrupted input is
 * fed to {@value #INPUT}, the clean one to {@value #TARGET}; the loss terms are the conv-ae's
 * against the clean target. As for the dae, {@link #evaluate} corrupts the input with its
 * seed's noise (it measures denoising), while {@link #reconstruct}, {@link #encode} and
 * {@link #decode} apply no corruption.
 */
public final class ConvDenoisingAutoencoder extends AutoencoderModel<ConvDenoisingAutoencoderConfig>
        implements Denoising {
    /** Placeholder for the clean input, the reconstruction target. */
    public static final String TARGET = "target";

    public ConvDenoisingAutoencoder(ConvDenoisingAutoencoderConfig config, SameDiff sd) {
        super(config, sd);
    }

    @Override
    protected void define(GraphContext g) {
        SameDiff sd = g.sd();
        SDVariable x = sd.placeHolder(INPUT, DataType.FLOAT, -1, config.inputSize());
        SDVariable target = sd.placeHolder(TARGET, DataType.FLOAT, -1, config.inputSize());
        ConvAutoencoder.defineConv(g, config.conv(), x, target);
    }

    @Override
    public List<String> lossTerms() {
        return Autoencoder.TERMS;
    }

    @Override
    public int codeSize() {
        return config.codeSize();
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

    /** Reconstruction of {@code x} as given: no corruption at inference ({@code noise} unused). */
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
