package org.latentlab.models.ae;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import org.latentlab.config.Describe;
import org.latentlab.core.ModelConfig;
import org.latentlab.data.Corruption;
import org.latentlab.graph.Activation;
import org.latentlab.graph.WeightInit;
import org.latentlab.loss.ReconstructionKind;

/**
 * Hyperparameters of the {@link ConvDenoisingAutoencoder}: those of the
 * {@link ConvAutoencoderConfig} plus the input corruption of training (flat keys, so that
 * {@code --set corruptionKind=gaussian --set corruptionLevel=0.5} works).
 *
 * @param corruptionKind  NONE, GAUSSIAN, MASKING or SALT_AND_PEPPER (GAUSSIAN)
 * @param corruptionLevel noise std (GAUSSIAN) or corrupted fraction (the others) (0.5)
 */
public record ConvDenoisingAutoencoderConfig(
        @Describe("values per image; must equal imageChannels * imageSize^2 (784 = 1x28x28, 3072 = 3x32x32)")
        int inputSize,

        @Describe("channels of the input image: 1 (grey) or 3 (RGB, stored as planes)")
        int imageChannels,

        @Describe("side of the square input image") int imageSize,

        @Describe("channels of the stride-2 convolutions, comma-separated; the decoder mirrors them")
        List<Integer> channels,

        @Describe("kernel side of every convolution") int kernel,
        @Describe("dimension of the code") int codeSize,

        @Describe("hidden activation: relu, tanh, sigmoid, elu, leaky_relu, softplus")
        Activation activation,

        @Describe("reconstruction loss: bce or mse (summed over pixels)")
        ReconstructionKind loss,

        @Describe("init: pytorch_default, xavier_uniform, xavier_normal, he_normal, he_uniform")
        WeightInit weightInit,

        @Describe("input corruption: none, gaussian, masking, salt_and_pepper")
        Corruption.Kind corruptionKind,

        @Describe("noise std (gaussian) or corrupted fraction (masking, salt_and_pepper)")
        double corruptionLevel)
        implements ModelConfig {

    public ConvDenoisingAutoencoderConfig {
        // Validates the architecture with the conv-ae's messages, and the corruption with its own.
        ConvAutoencoderConfig conv = new ConvAutoencoderConfig(
                inputSize, imageChannels, imageSize, channels, kernel, codeSize, activation, loss, weightInit);
        channels = conv.channels();
        new Corruption(corruptionKind, corruptionLevel);
    }

    /** The conv-ae defaults with additive Gaussian noise of std 0.5, the classic denoising demo on MNIST. */
    public static ConvDenoisingAutoencoderConfig defaults() {
        return of(ConvAutoencoderConfig.defaults(), new Corruption(Corruption.Kind.GAUSSIAN, 0.5));
    }

    public static ConvDenoisingAutoencoderConfig of(ConvAutoencoderConfig c, Corruption corruption) {
        return new ConvDenoisingAutoencoderConfig(
                c.inputSize(),
                c.imageChannels(),
                c.imageSize(),
                c.channels(),
                c.kernel(),
                c.codeSize(),
                c.activation(),
                c.loss(),
                c.weightInit(),
                corruption.kind(),
                corruption.level());
    }

    /** The architecture: the same graph as a {@code conv-ae} with these keys. */
    public ConvAutoencoderConfig conv() {
        return new ConvAutoencoderConfig(
                inputSize, imageChannels, imageSize, channels, kernel, codeSize, activation, loss, weightInit);
    }

    /** The input image shape {@code [imageChannels, imageSize, imageSize]}. */
    @Override
    @JsonIgnore
    public List<Integer> imageShape() {
        return List.of(imageChannels, imageSize, imageSize);
    }

    public Corruption corruption() {
        return new Corruption(corruptionKind, corruptionLevel);
    }

    /** This config with {@code inputSize} replaced, validated as by the constructor. */
    public ConvDenoisingAutoencoderConfig withInputSize(int inputSize) {
        return new ConvDenoisingAutoencoderConfig(
                inputSize,
                imageChannels,
                imageSize,
                channels,
                kernel,
                codeSize,
                activation,
                loss,
                weightInit,
                corruptionKind,
                corruptionLevel);
    }

    /** This config with {@code imageChannels} replaced, validated as by the constructor. */
    public ConvDenoisingAutoencoderConfig withImageChannels(int imageChannels) {
        return new ConvDenoisingAutoencoderConfig(
                inputSize,
                imageChannels,
                imageSize,
                channels,
                kernel,
                codeSize,
                activation,
                loss,
                weightInit,
                corruptionKind,
                corruptionLevel);
    }

    /** This config with {@code imageSize} replaced, validated as by the constructor. */
    public ConvDenoisingAutoencoderConfig withImageSize(int imageSize) {
        return new ConvDenoisingAutoencoderConfig(
                inputSize,
                imageChannels,
                imageSize,
                channels,
                kernel,
                codeSize,
                activation,
                loss,
                weightInit,
                corruptionKind,
                corruptionLevel);
    }

    /** This config with {@code channels} replaced, validated as by the constructor. */
    public ConvDenoisingAutoencoderConfig withChannels(List<Integer> channels) {
        return new ConvDenoisingAutoencoderConfig(
                inputSize,
                imageChannels,
                imageSize,
                channels,
                kernel,
                codeSize,
                activation,
                loss,
                weightInit,
                corruptionKind,
                corruptionLevel);
    }

    /** This config with {@code kernel} replaced, validated as by the constructor. */
    public ConvDenoisingAutoencoderConfig withKernel(int kernel) {
        return new ConvDenoisingAutoencoderConfig(
                inputSize,
                imageChannels,
                imageSize,
                channels,
                kernel,
                codeSize,
                activation,
                loss,
                weightInit,
                corruptionKind,
                corruptionLevel);
    }

    /** This config with {@code codeSize} replaced, validated as by the constructor. */
    public ConvDenoisingAutoencoderConfig withCodeSize(int codeSize) {
        return new ConvDenoisingAutoencoderConfig(
                inputSize,
                imageChannels,
                imageSize,
                channels,
                kernel,
                codeSize,
                activation,
                loss,
                weightInit,
                corruptionKind,
                corruptionLevel);
    }

    /** This config with {@code activation} replaced, validated as by the constructor. */
    public ConvDenoisingAutoencoderConfig withActivation(Activation activation) {
        return new ConvDenoisingAutoencoderConfig(
                inputSize,
                imageChannels,
                imageSize,
                channels,
                kernel,
                codeSize,
                activation,
                loss,
                weightInit,
                corruptionKind,
                corruptionLevel);
    }

    /** This config with {@code loss} replaced, validated as by the constructor. */
    public ConvDenoisingAutoencoderConfig withLoss(ReconstructionKind loss) {
        return new ConvDenoisingAutoencoderConfig(
                inputSize,
                imageChannels,
                imageSize,
                channels,
                kernel,
                codeSize,
                activation,
                loss,
                weightInit,
                corruptionKind,
                corruptionLevel);
    }

    /** This config with {@code weightInit} replaced, validated as by the constructor. */
    public ConvDenoisingAutoencoderConfig withWeightInit(WeightInit weightInit) {
        return new ConvDenoisingAutoencoderConfig(
                inputSize,
                imageChannels,
                imageSize,
                channels,
                kernel,
                codeSize,
                activation,
                loss,
                weightInit,
                corruptionKind,
                corruptionLevel);
    }

    /** This config with {@code corruptionKind} replaced, validated as by the constructor. */
    public ConvDenoisingAutoencoderConfig withCorruptionKind(Corruption.Kind corruptionKind) {
        return new ConvDenoisingAutoencoderConfig(
                inputSize,
                imageChannels,
                imageSize,
                channels,
                kernel,
                codeSize,
                activation,
                loss,
                weightInit,
                corruptionKind,
                corruptionLevel);
    }

    /** This config with {@code corruptionLevel} replaced, validated as by the constructor. */
    public ConvDenoisingAutoencoderConfig withCorruptionLevel(double corruptionLevel) {
        return new ConvDenoisingAutoencoderConfig(
                inputSize,
                imageChannels,
                imageSize,
                channels,
                kernel,
                codeSize,
                activation,
                loss,
                weightInit,
                corruptionKind,
                corruptionLevel);
    }
}
