package org.latentlab.models.ae;

import java.util.List;
import org.latentlab.config.Describe;
import org.latentlab.core.ModelConfig;
import org.latentlab.data.Corruption;
import org.latentlab.graph.Activation;
import org.latentlab.graph.WeightInit;
import org.latentlab.loss.ReconstructionKind;

/**
 * Hyperparameters of the {@link DenoisingAutoencoder}: those of the {@link AutoencoderConfig}
 * plus the corruption applied to the input during training. The corruption keys are flat (not a
 * nested record) so that {@code --set corruptionKind=gaussian --set corruptionLevel=0.5} works.
 *
 * @param corruptionKind  NONE, GAUSSIAN, MASKING or SALT_AND_PEPPER (MASKING, as in Vincent et al. 2008)
 * @param corruptionLevel noise std (GAUSSIAN) or corrupted fraction (the others) (0.25)
 */
public record DenoisingAutoencoderConfig(
        @Describe("pixels per image (784 for 28x28 MNIST)") int inputSize,

        @Describe("encoder widths: hidden layers then the code, comma-separated; the decoder mirrors them")
        List<Integer> encoderSizes,

        @Describe("hidden activation: relu, tanh, sigmoid, elu, leaky_relu, softplus, identity")
        Activation hiddenActivation,

        @Describe("code activation (identity = linear code)")
        Activation codeActivation,

        @Describe("output activation: sigmoid, tanh or identity")
        Activation outputActivation,

        @Describe("reconstruction loss: bce (sigmoid output only) or mse (summed over pixels)")
        ReconstructionKind loss,

        @Describe("init: pytorch_default, xavier_uniform, xavier_normal, he_normal, he_uniform")
        WeightInit weightInit,

        @Describe("input corruption: none, gaussian, masking, salt_and_pepper")
        Corruption.Kind corruptionKind,

        @Describe("noise std (gaussian) or corrupted fraction (masking, salt_and_pepper)")
        double corruptionLevel)
        implements ModelConfig {

    public DenoisingAutoencoderConfig {
        encoderSizes = AutoencoderConfig.validate(
                inputSize, encoderSizes, hiddenActivation, codeActivation, outputActivation, loss, weightInit);
        new Corruption(corruptionKind, corruptionLevel); // validates kind and level with the same messages
    }

    /** The {@code ae} defaults with masking noise on a quarter of the pixels. */
    public static DenoisingAutoencoderConfig defaults() {
        return of(AutoencoderConfig.defaults(), new Corruption(Corruption.Kind.MASKING, 0.25));
    }

    /** A denoising autoencoder with the architecture of {@code ae} and the given corruption. */
    public static DenoisingAutoencoderConfig of(AutoencoderConfig ae, Corruption corruption) {
        return new DenoisingAutoencoderConfig(
                ae.inputSize(),
                ae.encoderSizes(),
                ae.hiddenActivation(),
                ae.codeActivation(),
                ae.outputActivation(),
                ae.loss(),
                ae.weightInit(),
                corruption.kind(),
                corruption.level());
    }

    /** The architecture: the same graph as an {@code ae} with these keys. */
    public AutoencoderConfig autoencoder() {
        return new AutoencoderConfig(
                inputSize, encoderSizes, hiddenActivation, codeActivation, outputActivation, loss, weightInit);
    }

    public Corruption corruption() {
        return new Corruption(corruptionKind, corruptionLevel);
    }

    /** This config with {@code inputSize} replaced, validated as by the constructor. */
    public DenoisingAutoencoderConfig withInputSize(int inputSize) {
        return new DenoisingAutoencoderConfig(
                inputSize,
                encoderSizes,
                hiddenActivation,
                codeActivation,
                outputActivation,
                loss,
                weightInit,
                corruptionKind,
                corruptionLevel);
    }

    /** This config with {@code encoderSizes} replaced, validated as by the constructor. */
    public DenoisingAutoencoderConfig withEncoderSizes(List<Integer> encoderSizes) {
        return new DenoisingAutoencoderConfig(
                inputSize,
                encoderSizes,
                hiddenActivation,
                codeActivation,
                outputActivation,
                loss,
                weightInit,
                corruptionKind,
                corruptionLevel);
    }

    /** This config with {@code hiddenActivation} replaced, validated as by the constructor. */
    public DenoisingAutoencoderConfig withHiddenActivation(Activation hiddenActivation) {
        return new DenoisingAutoencoderConfig(
                inputSize,
                encoderSizes,
                hiddenActivation,
                codeActivation,
                outputActivation,
                loss,
                weightInit,
                corruptionKind,
                corruptionLevel);
    }

    /** This config with {@code codeActivation} replaced, validated as by the constructor. */
    public DenoisingAutoencoderConfig withCodeActivation(Activation codeActivation) {
        return new DenoisingAutoencoderConfig(
                inputSize,
                encoderSizes,
                hiddenActivation,
                codeActivation,
                outputActivation,
                loss,
                weightInit,
                corruptionKind,
                corruptionLevel);
    }

    /** This config with {@code outputActivation} replaced, validated as by the constructor. */
    public DenoisingAutoencoderConfig withOutputActivation(Activation outputActivation) {
        return new DenoisingAutoencoderConfig(
                inputSize,
                encoderSizes,
                hiddenActivation,
                codeActivation,
                outputActivation,
                loss,
                weightInit,
                corruptionKind,
                corruptionLevel);
    }

    /** This config with {@code loss} replaced, validated as by the constructor. */
    public DenoisingAutoencoderConfig withLoss(ReconstructionKind loss) {
        return new DenoisingAutoencoderConfig(
                inputSize,
                encoderSizes,
                hiddenActivation,
                codeActivation,
                outputActivation,
                loss,
                weightInit,
                corruptionKind,
                corruptionLevel);
    }

    /** This config with {@code weightInit} replaced, validated as by the constructor. */
    public DenoisingAutoencoderConfig withWeightInit(WeightInit weightInit) {
        return new DenoisingAutoencoderConfig(
                inputSize,
                encoderSizes,
                hiddenActivation,
                codeActivation,
                outputActivation,
                loss,
                weightInit,
                corruptionKind,
                corruptionLevel);
    }

    /** This config with {@code corruptionKind} replaced, validated as by the constructor. */
    public DenoisingAutoencoderConfig withCorruptionKind(Corruption.Kind corruptionKind) {
        return new DenoisingAutoencoderConfig(
                inputSize,
                encoderSizes,
                hiddenActivation,
                codeActivation,
                outputActivation,
                loss,
                weightInit,
                corruptionKind,
                corruptionLevel);
    }

    /** This config with {@code corruptionLevel} replaced, validated as by the constructor. */
    public DenoisingAutoencoderConfig withCorruptionLevel(double corruptionLevel) {
        return new DenoisingAutoencoderConfig(
                inputSize,
                encoderSizes,
                hiddenActivation,
                codeActivation,
                outputActivation,
                loss,
                weightInit,
                corruptionKind,
                corruptionLevel);
    }
}
