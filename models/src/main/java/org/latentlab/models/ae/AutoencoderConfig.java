package org.latentlab.models.ae;

import java.util.List;
import java.util.Locale;
import org.latentlab.config.Describe;
import org.latentlab.core.ModelConfig;
import org.latentlab.graph.Activation;
import org.latentlab.graph.WeightInit;
import org.latentlab.loss.ReconstructionKind;

/**
 * Hyperparameters of the {@link Autoencoder}.
 *
 * @param inputSize          pixels per image (784 for 28x28 MNIST)
 * @param encoderSizes       encoder widths after the input: hidden layers, then the code, e.g.
 *                           [128, 64, 12, 3]; the decoder mirrors the hidden layers. The code may be
 *                           larger than the input (an overcomplete autoencoder)
 * @param hiddenActivation   activation of every hidden layer (RELU)
 * @param codeActivation     activation of the code layer (IDENTITY: a linear code)
 * @param outputActivation   activation of the output layer: SIGMOID for intensities in [0, 1], TANH
 *                           (as in lecture notes that use it), IDENTITY
 * @param loss               reconstruction loss: BCE (needs a sigmoid output) or MSE
 * @param weightInit         parameter initialisation
 */
public record AutoencoderConfig(
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
        WeightInit weightInit)
        implements ModelConfig {

    public AutoencoderConfig {
        encoderSizes =
                validate(inputSize, encoderSizes, hiddenActivation, codeActivation, outputActivation, loss, weightInit);
    }

    /** The MNIST default: 784-128-64-12-3 with a mirrored decoder, ReLU, sigmoid output, BCE. */
    public static AutoencoderConfig defaults() {
        return new AutoencoderConfig(
                784,
                List.of(128, 64, 12, 3),
                Activation.RELU,
                Activation.IDENTITY,
                Activation.SIGMOID,
                ReconstructionKind.BCE,
                WeightInit.PYTORCH_DEFAULT);
    }

    /** Size of the code: the last encoder width. */
    public int codeSize() {
        return encoderSizes.get(encoderSizes.size() - 1);
    }

    /** Checks the shared keys of {@code ae} and {@code dae}; returns an immutable copy of the sizes. */
    static List<Integer> validate(
            int inputSize,
            List<Integer> encoderSizes,
            Activation hiddenActivation,
            Activation codeActivation,
            Activation outputActivation,
            ReconstructionKind loss,
            WeightInit weightInit) {
        if (inputSize < 1) {
            throw new IllegalArgumentException("inputSize must be at least 1, got " + inputSize);
        }
        if (encoderSizes == null
                || encoderSizes.isEmpty()
                || encoderSizes.stream().anyMatch(h -> h == null || h < 1)) {
            throw new IllegalArgumentException(
                    "encoderSizes must be a non-empty list of positive widths (the last is the code), got "
                            + encoderSizes);
        }
        if (hiddenActivation == null || codeActivation == null || outputActivation == null) {
            throw new IllegalArgumentException("hiddenActivation, codeActivation and outputActivation must be set");
        }
        if (outputActivation != Activation.SIGMOID
                && outputActivation != Activation.TANH
                && outputActivation != Activation.IDENTITY) {
            throw new IllegalArgumentException("outputActivation must be sigmoid, tanh or identity, got "
                    + outputActivation.name().toLowerCase(Locale.ROOT));
        }
        if (loss == null) {
            throw new IllegalArgumentException("loss must be set (bce or mse)");
        }
        if (loss == ReconstructionKind.BCE && outputActivation != Activation.SIGMOID) {
            throw new IllegalArgumentException("loss bce needs outputActivation sigmoid, got "
                    + outputActivation.name().toLowerCase(Locale.ROOT) + "; use loss mse");
        }
        if (weightInit == null) {
            throw new IllegalArgumentException("weightInit must be set");
        }
        return List.copyOf(encoderSizes);
    }

    /** This config with {@code inputSize} replaced, validated as by the constructor. */
    public AutoencoderConfig withInputSize(int inputSize) {
        return new AutoencoderConfig(
                inputSize, encoderSizes, hiddenActivation, codeActivation, outputActivation, loss, weightInit);
    }

    /** This config with {@code encoderSizes} replaced, validated as by the constructor. */
    public AutoencoderConfig withEncoderSizes(List<Integer> encoderSizes) {
        return new AutoencoderConfig(
                inputSize, encoderSizes, hiddenActivation, codeActivation, outputActivation, loss, weightInit);
    }

    /** This config with {@code hiddenActivation} replaced, validated as by the constructor. */
    public AutoencoderConfig withHiddenActivation(Activation hiddenActivation) {
        return new AutoencoderConfig(
                inputSize, encoderSizes, hiddenActivation, codeActivation, outputActivation, loss, weightInit);
    }

    /** This config with {@code codeActivation} replaced, validated as by the constructor. */
    public AutoencoderConfig withCodeActivation(Activation codeActivation) {
        return new AutoencoderConfig(
                inputSize, encoderSizes, hiddenActivation, codeActivation, outputActivation, loss, weightInit);
    }

    /** This config with {@code outputActivation} replaced, validated as by the constructor. */
    public AutoencoderConfig withOutputActivation(Activation outputActivation) {
        return new AutoencoderConfig(
                inputSize, encoderSizes, hiddenActivation, codeActivation, outputActivation, loss, weightInit);
    }

    /** This config with {@code loss} replaced, validated as by the constructor. */
    public AutoencoderConfig withLoss(ReconstructionKind loss) {
        return new AutoencoderConfig(
                inputSize, encoderSizes, hiddenActivation, codeActivation, outputActivation, loss, weightInit);
    }

    /** This config with {@code weightInit} replaced, validated as by the constructor. */
    public AutoencoderConfig withWeightInit(WeightInit weightInit) {
        return new AutoencoderConfig(
                inputSize, encoderSizes, hiddenActivation, codeActivation, outputActivation, loss, weightInit);
    }
}
